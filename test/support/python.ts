// Checks Python source with the machine's python3 (3.11+): each module must parse, run (typing
// imported, the TypedDict classes built), and every annotation of every class and method must
// resolve. One python3 process checks a batch. Fails with a clear message when python3 is missing.
import { spawnSync } from 'node:child_process';

// Runs each module, then resolves the annotations the way a type checker reads them: each class in
// its module or namespace class, each method's arguments and result.
const CHECK = String.raw`
import ast, sys, typing, inspect, json
def is_typed_dict(v):
    return isinstance(v, type) and issubclass(v, dict) and hasattr(v, "__required_keys__")
def check(source):
    try:
        ast.parse(source)
    except SyntaxError as e:
        return f"SyntaxError: line {e.lineno}: {e.msg}: {(e.text or '').strip()[:200]}"
    module = {"__name__": "catalog"}
    try:
        exec(compile(source, "catalog.py", "exec"), module)
    except Exception as e:
        return f"exec: {type(e).__name__}: {e}"
    errors = []
    def resolve(what, obj, local):
        try:
            typing.get_type_hints(obj, globalns=module, localns=local)
        except Exception as e:
            errors.append(f"{what}: {type(e).__name__}: {e}")
    typed_dicts = methods = 0
    for name, value in list(module.items()):
        if is_typed_dict(value):
            typed_dicts += 1; resolve(name, value, None)
        elif isinstance(value, type) and name != "ToolError" and not name.startswith("__"):
            local = dict(vars(value))
            for member, inner in local.items():
                if is_typed_dict(inner):
                    typed_dicts += 1; resolve(f"{name}.{member}", inner, local)
                elif inspect.iscoroutinefunction(inner):
                    methods += 1; resolve(f"{name}.{member}", inner, local)
    return "\n".join(errors[:20]) if errors else f"ok {typed_dicts} {methods}"
print(json.dumps([check(s) for s in json.load(sys.stdin)]))
`;

export interface PythonCheck {
  readonly ok: boolean;
  /** `ok <TypedDicts> <methods>`, or the first errors. */
  readonly output: string;
  readonly typedDicts: number;
  readonly methods: number;
}

export function checkPython(source: string): PythonCheck;
export function checkPython(sources: readonly string[]): PythonCheck[];
export function checkPython(input: string | readonly string[]): PythonCheck | PythonCheck[] {
  const sources = typeof input === 'string' ? [input] : input;
  const run = spawnSync('python3', ['-c', CHECK], { input: JSON.stringify(sources), encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('python3 is not installed: the Python signature tests need Python 3.11 or later (Debian: apt-get install python3)');
  }
  if (run.status !== 0) throw new Error(`python3 failed (status ${run.status}): ${run.stderr || run.error?.message || ''}`);
  const results = (JSON.parse(run.stdout) as string[]).map((output) => {
    const counts = /^ok (\d+) (\d+)$/.exec(output);
    return { ok: counts !== null, output, typedDicts: Number(counts?.[1] ?? 0), methods: Number(counts?.[2] ?? 0) };
  });
  return typeof input === 'string' ? (results[0] as PythonCheck) : results;
}
