// The Python escape battery's probes, shared by python-escapes.test.ts (through the built gateway)
// and python-closures.test.ts (the engine itself, one closure removed at a time). Each probe is one
// or more programs (earlier ones set up, the last is judged) and the exact outcome when contained.
// The programs report what they reached in their value, so an escape shows as a different value.
// A table of Python programs, hence past 300 lines.

/** Host-side facts a probe aims at; the test owns them (a listener, a file, a secret). */
export interface ProbeWorld {
  /** A file a probe would create on the host (with a shell or child_process). */
  readonly marker: string;
  /** A loopback HTTP listener that counts its hits. */
  readonly port: number;
  /** A host folder outside the sandbox's read allowances, holding `secret.txt` with `hostToken`. */
  readonly hostDir: string;
  readonly hostToken: string;
  /** A folder the sandbox process may read (pyodide's package): its listing shows a host folder was mounted. */
  readonly readableDir: string;
  /** The name of an environment variable of the test process (only the closures test sets it). */
  readonly envName: string;
}

/** A probe's outcome, from the gateway or the engine. */
export interface ProbeResult {
  /** `ok`, or the run's error code (SANDBOX_CPU, GUEST_THREW, ...). */
  readonly code: string;
  /** The returned value (ok runs). */
  readonly value?: unknown;
  /** The error's name and message (failed runs), or the gateway's error text. */
  readonly message?: string;
}

export type Contained = { readonly value: unknown } | { readonly code: string; readonly message?: RegExp };

export interface PythonProbe {
  readonly id: string;
  readonly title: string;
  readonly runs: (world: ProbeWorld) => readonly string[];
  readonly contained: Contained;
}

const py = (strings: TemplateStringsArray, ...values: unknown[]): string => String.raw({ raw: strings }, ...values);

/** Finds every JS object Python can reach (made by to_js, or held by gc, modules and frames), into `proxies`. */
export const FIND_PROXIES = py`import gc, sys
from pyodide.ffi import to_js
proxies = [to_js({}), to_js([1])]
def consider(o):
    if type(o).__module__ == "pyodide.ffi" and not isinstance(o, type):
        proxies.append(o)
for o in gc.get_objects():
    consider(o)
for mod in list(sys.modules.values()):
    for v in list(getattr(mod, "__dict__", {}).values()):
        consider(v)
f = sys._getframe()
while f is not None:
    for v in list(f.f_locals.values()):
        consider(v)
    f = f.f_back
`;

/** Then climbs from those proxies to the worker's `Function`, into `F` (None when no proxy leads there). */
export const FIND_FUNCTION = py`${FIND_PROXIES}F = None
for o in proxies:
    try:
        F = o.constructor.constructor
        if F("return 7")() == 7:
            break
    except BaseException:
        pass
    F = None
`;

export const PYTHON_PROBES: readonly PythonProbe[] = [
  {
    id: 'shell',
    title: 'os.system, subprocess, os.popen and os.fork run nothing',
    runs: (w) => [py`import os, subprocess
out = [os.system("touch ${w.marker}")]
for attempt in (lambda: subprocess.run(["touch", "${w.marker}"]), lambda: os.popen("touch ${w.marker}").read(), os.fork):
    try:
        attempt()
        out.append("ran")
    except BaseException as e:
        out.append(type(e).__name__)
return out`],
    contained: { value: [-1, 'OSError', 'OSError', 'OSError'] },
  },
  {
    id: 'files',
    title: 'open(), os.listdir, /proc and /dev see only the interpreter\'s own in-memory files',
    runs: (w) => [py`import os
seen = []
for p in ["${w.hostDir}/secret.txt", "/etc/passwd", "/etc/hostname", "/proc/self/environ", "/proc/self/maps", "/dev/tty"]:
    try:
        seen.append(open(p).read()[:40])
    except OSError as e:
        seen.append(type(e).__name__)
return [seen, sorted(os.listdir("/")), sorted(os.listdir("/dev"))]`],
    contained: {
      value: [
        ['FileNotFoundError', 'FileNotFoundError', 'FileNotFoundError', 'FileNotFoundError', 'FileNotFoundError', 'OSError'],
        ['dev', 'home', 'lib', 'proc', 'tmp'],
        ['null', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'tty1', 'urandom'],
      ],
    },
  },
  {
    id: 'environment',
    title: 'the environment, argv and executable are the interpreter\'s own',
    runs: () => ['import os, sys\nreturn [sorted(os.environ), sys.argv, sys.executable]'],
    contained: { value: [['HOME', 'LANG', 'LD_LIBRARY_PATH', 'LOGNAME', 'PATH', 'PWD', 'PYTHONINSPECT', 'USER', '_'], [''], ''] },
  },
  {
    id: 'js-import',
    title: 'import js / pyodide_js fail, run_js reaches nothing, no JS module is left in sys.modules',
    runs: () => [py`import sys
out = []
for name in ["js", "pyodide_js", "pyodide_js._api"]:
    try:
        __import__(name)
        out.append(name)
    except ImportError as e:
        out.append(type(e).__name__)
try:
    from pyodide.code import run_js
    out.append(str(run_js("typeof process")))
except BaseException as e:
    out.append(type(e).__name__)
return [out, sorted(n for n in sys.modules if n.split(".")[0] in ("js", "pyodide_js"))]`],
    contained: { value: [['ModuleNotFoundError', 'ModuleNotFoundError', 'ModuleNotFoundError', 'ModuleNotFoundError'], []] },
  },
  {
    id: 'pyodide-api',
    title: 'pyodide\'s API (mountNodeFS) is not reachable: not by import, sys.modules, or the import specs gc finds',
    runs: (w) => [py`import gc, os, sys
found = []
try:
    import pyodide_js
    found.append(("import", pyodide_js))
except ImportError:
    pass
internal = sys.modules.get("pyodide_js._api")
if internal is not None:
    found.append(("sys.modules", internal.public_api))
for o in gc.get_objects():
    if type(o).__name__ == "JsLoader" and getattr(o, "jsproxy", None) is not None:
        p = o.jsproxy
        found.append(("gc", p if hasattr(p, "mountNodeFS") else p.public_api))
out = []
for how, api in found[:1]:
    out.append(how)
    for i, host in enumerate(["${w.readableDir}", "${w.hostDir}"]):
        try:
            api.mountNodeFS("/mnt/h" + str(i), host)
            names = os.listdir("/mnt/h" + str(i))
            out.append("listed:" + ("pyodide.asm.wasm" if "pyodide.asm.wasm" in names else ",".join(sorted(names))))
            if "secret.txt" in names:
                out.append("read:" + open("/mnt/h" + str(i) + "/secret.txt").read())
        except BaseException as e:
            out.append(type(e).__name__)
return out`],
    contained: { value: [] },
  },
  {
    id: 'js-climb',
    title: 'no JS object reachable from Python (to_js, gc, modules, frames: the host_call proxy) climbs to Function',
    runs: (w) => [py`${FIND_FUNCTION}out = []
if F is not None:
    out.append("js:" + str(F("return typeof process")()))
    attempts = [
        ("env:", "return process.env.${w.envName} || ''"),
        ("read:", "return process.getBuiltinModule('node:fs').readFileSync('${w.hostDir}/secret.txt', 'utf8')"),
        ("shell:", "process.getBuiltinModule('node:child_process').execSync('touch ${w.marker}'); return 'ran'"),
        ("net:", "const s = process.getBuiltinModule('node:net').connect(${w.port}, '127.0.0.1'); s.on('error', () => {}); s.end('GET / HTTP/1.0' + String.fromCharCode(13, 10, 13, 10)); return 'connecting'"),
        ("thread:", "new (process.getBuiltinModule('node:worker_threads').Worker)('0', { eval: true }); return 'started'"),
    ]
    for label, src in attempts:
        try:
            got = str(F(src)())
            if got:
                out.append(label + got)
        except BaseException:
            pass
    import asyncio
    await asyncio.sleep(0.3)
return [len(proxies) > 2, out]`],
    contained: { value: [true, []] },
  },
  {
    id: 'subclasses',
    title: '__subclasses__ and function globals lead to no working os.system',
    runs: (w) => [py`out = []
for c in object.__subclasses__():
    g = getattr(getattr(c, "__init__", None), "__globals__", None)
    if isinstance(g, dict) and callable(g.get("system")):
        out.append(g["system"]("touch ${w.marker}"))
        break
return out`],
    contained: { value: [-1] },
  },
  {
    id: 'raw-memory',
    title: 'ctypes and CPython\'s test modules can\'t be made, even by emptying sys.modules and calling _imp',
    runs: () => [py`import sys, _imp, importlib.machinery
out = []
try:
    import ctypes
    out.append("ctypes")
except BaseException as e:
    out.append(type(e).__name__)
made = {}
for name in ["_ctypes", "_testcapi", "_testinternalcapi"]:
    sys.modules.pop(name, None)
    try:
        spec = importlib.machinery.ModuleSpec(name, importlib.machinery.BuiltinImporter)
        module = _imp.create_builtin(spec)
        _imp.exec_builtin(module)
        made[name] = module
        out.append(name)
    except BaseException as e:
        out.append(type(e).__name__)
if "_ctypes" in made:
    class Byte(made["_ctypes"]._SimpleCData):
        _type_ = "B"
    out.append("read:" + str(len(bytes(Byte.from_address(id(out) + i).value for i in range(16)))))
import gc
out.append(len([o for o in gc.get_objects() if getattr(o, "__name__", None) == "create_builtin"]))
return out`],
    contained: { value: ['ModuleNotFoundError', 'AttributeError', 'AttributeError', 'AttributeError', 0] },
  },
  {
    id: 'sockets',
    title: 'sockets, pyfetch and name lookups reach no listener',
    runs: (w) => [py`import socket
out = []
def attempt(fn):
    try:
        fn()
        out.append("reached")
    except BaseException as e:
        out.append(type(e).__name__)
attempt(lambda: socket.socket().connect(("127.0.0.1", ${w.port})))
attempt(lambda: socket.create_connection(("127.0.0.1", ${w.port}), timeout=1))
attempt(lambda: socket.getaddrinfo("localhost", 80))
try:
    from pyodide.http import pyfetch
    await pyfetch("http://127.0.0.1:${w.port}/")
    out.append("reached")
except BaseException as e:
    out.append(type(e).__name__)
return out`],
    contained: { value: ['PermissionError', 'gaierror', 'gaierror', 'NameError'] },
  },
  {
    id: 'leftovers',
    title: 'files, patched builtins, modules and import hooks of one run are gone in the next',
    runs: () => [
      py`import builtins, importlib, json, os, sys
open("/tmp/left-behind", "w").write("x")
builtins.left_behind = 1
json.dumps = lambda *a, **k: "patched"
sys.meta_path.insert(0, "not a finder")
real = builtins.__import__
builtins.__import__ = lambda name, *a, **k: real(name, *a, **k)
importlib.reload(os)
return 1`,
      py`import builtins, json, os, sys
return [os.path.exists("/tmp/left-behind"), hasattr(builtins, "left_behind"), json.dumps(1), "not a finder" in sys.meta_path, builtins.__import__.__name__]`,
    ],
    contained: { value: [false, false, '1', false, '__import__'] },
  },
  {
    id: 'threads',
    title: 'threads don\'t start',
    runs: () => ['import threading\ntry:\n    threading.Thread(target=lambda: None).start()\n    return "started"\nexcept BaseException as e:\n    return type(e).__name__'],
    contained: { value: 'RuntimeError' },
  },
  {
    id: 'kill',
    title: 'os.kill of its own pid with SIGKILL ends its worker only',
    runs: () => ['import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\nreturn 1'],
    contained: { code: 'SANDBOX_CRASHED', message: /Program terminated with exit\(137\)/ },
  },
  { id: 'exit', title: 'os._exit ends its worker only', runs: () => ['import os\nos._exit(0)'], contained: { code: 'SANDBOX_CRASHED', message: /Program terminated with exit\(0\)/ } },
  { id: 'sigint', title: 'signal.raise_signal(SIGINT) is the program\'s own KeyboardInterrupt', runs: () => ['import signal\nsignal.raise_signal(signal.SIGINT)\nreturn 1'], contained: { code: 'GUEST_THREW', message: /KeyboardInterrupt/ } },
  {
    id: 'host-pipe',
    title: 'a flood of print is cut to the log budget before it reaches the host pipe',
    runs: () => [
      'for i in range(5000):\n    print("x" * 1000)\nreturn "printed"',
    ],
    contained: { value: 'printed' },
  },
  { id: 'big-value', title: 'a value over maxResultBytes', runs: () => ['return "y" * (2 * 2**20)'], contained: { code: 'LIMIT_OUTPUT' } },
  {
    id: 'big-arguments',
    title: 'arguments over maxArgumentBytes are refused in the sandbox',
    runs: () => ['try:\n    await memory.search_nodes({"query": "z" * (2 * 2**20)})\nexcept BaseException as e:\n    return type(e).__name__'],
    contained: { value: 'ValueError' },
  },
  { id: 'cpu-loop', title: 'a loop is interrupted at the CPU limit', runs: () => ['while True:\n    pass'], contained: { code: 'SANDBOX_CPU', message: /CPU time limit exceeded: the program computed for more than \d+ ms(?!, and its worker)/ } },
  {
    id: 'ki-loop',
    title: 'a loop that catches KeyboardInterrupt is stopped with its worker',
    runs: () => ['while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass'],
    contained: { code: 'SANDBOX_CPU', message: /CPU time limit exceeded: the program computed for more than \d+ ms, and its worker was stopped/ },
  },
  { id: 'memory', title: 'a 64 MiB string hits the memory limit', runs: () => ["x = 'a' * (64 * 2**20)\nreturn len(x)"], contained: { code: 'SANDBOX_MEMORY' } },
  { id: 'deep-json', title: 'json.dumps of a 100k-deep structure', runs: () => ['import json\nx = []\nfor _ in range(100000):\n    x = [x]\nreturn len(json.dumps(x))'], contained: { code: 'SANDBOX_STACK' } },
  {
    id: 'recursion-limit',
    title: 'sys.setrecursionlimit(10**6): 30k-deep Python recursion lives on the heap, not the native stack',
    runs: () => ['import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return n if n >= 30000 else f(n + 1)\nreturn f(0)'],
    contained: { value: 30000 },
  },
];

export function probe(id: string): PythonProbe {
  const found = PYTHON_PROBES.find((p) => p.id === id);
  if (!found) throw new Error(`no Python probe ${id}`);
  return found;
}

/** The contained outcome as a ProbeResult-like shape, for one toEqual / toMatch. */
export function isContained(result: ProbeResult, contained: Contained): boolean {
  if ('value' in contained) return result.code === 'ok' && JSON.stringify(result.value) === JSON.stringify(contained.value);
  return result.code === contained.code && (contained.message === undefined || contained.message.test(result.message ?? ''));
}
