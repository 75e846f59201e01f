// Interpreters that can be handed code in their arguments (`node -e`, `python -c`, `perl -e`,
// `awk '{…}'`): finds inline code in the options before the script, reading clusters (`-pe`,
// `-Ic`) and attached values. Where an option's arity is unknown it keeps reading: a false refusal
// is fixable with `--opt=value`, a missed `-e` is not. Pure; imported by launch-resolve.ts.
import type { Step } from './launch-step.js';

interface InterpreterSpec {
  /** Short letters whose value is code. */
  readonly inlineShort?: string;
  /** Long options (without dashes) whose value is code. */
  readonly inlineLong?: readonly string[];
  /** Short letters that take a value, attached or as the next argument. */
  readonly valueShort?: string;
  /** Short letters whose value, if any, is attached: what of the rest of the cluster it takes (`-i.bak`, `-0777`, `-l` then `-e`). */
  readonly attached?: Readonly<Record<string, RegExp>>;
  /** Short letters after which the rest of the command line belongs to the program (`python -m`). */
  readonly stopShort?: string;
  /** Long options known to take no value (an entry ending in `-` is a prefix); any other may take the next argument. */
  readonly flagLong?: readonly string[];
  /** Option values that are code although the option is not (`node --import data:…`). */
  readonly inlineValue?: (option: string, value: string) => boolean;
  /** Single-dash words anywhere in the arguments that carry code (`erl -eval`, `gdb -ex`). */
  readonly inlineWords?: readonly string[];
}

const REST = /^.*/s;

const dataUrl = (_option: string, value: string): boolean => /^\s*data:/i.test(value);

const NODE: InterpreterSpec = {
  inlineShort: 'ep',
  inlineLong: ['eval', 'print'],
  valueShort: 'rC',
  flagLong: [
    'no-', 'enable-source-maps', 'expose-gc', 'inspect', 'inspect-brk', 'inspect-wait', 'watch', 'watch-preserve-output',
    'experimental-strip-types', 'experimental-transform-types', 'experimental-vm-modules', 'experimental-require-module',
    'experimental-detect-module', 'experimental-json-modules', 'experimental-wasm-modules', 'experimental-websocket',
    'experimental-sqlite', 'experimental-permission', 'permission', 'trace-warnings', 'trace-deprecation', 'trace-uncaught',
    'trace-exit', 'throw-deprecation', 'pending-deprecation', 'preserve-symlinks', 'preserve-symlinks-main',
    'abort-on-uncaught-exception', 'frozen-intrinsics', 'jitless', 'prof', 'cpu-prof', 'heap-prof', 'insecure-http-parser',
    'zero-fill-buffers', 'use-openssl-ca', 'use-bundled-ca', 'check', 'interactive', 'test', 'version', 'help', 'v8-options',
  ],
  inlineValue: dataUrl,
};

const PYTHON: InterpreterSpec = { inlineShort: 'c', valueShort: 'WXQ', stopShort: 'm', flagLong: ['help', 'version'] };

/** Perl's -M/-m become `use Module …;`: anything but a module name and import list is code. */
const perlModule = (option: string, value: string): boolean => (option === 'M' || option === 'm') && !/^-?[\w:]+(=[\w:,-]*)?$/.test(value);

const INTERPRETERS: Readonly<Record<string, InterpreterSpec>> = {
  node: NODE, nodejs: NODE, tsx: NODE, 'ts-node': NODE, 'ts-node-esm': NODE,
  bun: { inlineShort: 'ep', inlineLong: ['eval', 'print'], valueShort: 'r', flagLong: ['bun', 'hot', 'watch', 'smol', 'silent', 'no-', 'version', 'help', 'revision', 'inspect'] },
  python: PYTHON, pypy: PYTHON, jython: PYTHON, ipython: PYTHON,
  perl: {
    inlineShort: 'eE', valueShort: 'IMm', inlineValue: perlModule, flagLong: ['help', 'version'],
    attached: { i: REST, x: REST, d: REST, D: REST, F: REST, V: REST, l: /^[0-7]*/, 0: /^(x[0-9a-fA-F]*|[0-7]*)/, C: /^[0-9IOESioDALa]*/ },
  },
  ruby: { inlineShort: 'e', valueShort: 'IrCEF', attached: { i: REST, x: REST, 0: /^[0-7]*/, T: /^[0-9]*/, W: /^(:[\w-]+|[0-2])?/ }, flagLong: ['yjit', 'jit', 'verbose', 'version', 'copyright', 'help'] },
  php: {
    inlineShort: 'rBRE', inlineLong: ['process-begin', 'process-code', 'process-end', 'run'], valueShort: 'cdzFtSf',
    inlineValue: (option, value) => (option === 'd' || option === 'define') && /auto_(prepend|append)_file|^\s*(open_basedir|disable_functions)/i.test(value),
    flagLong: ['no-php-ini', 'syntax-check', 'info', 'interactive', 'version', 'help', 'modules', 'no-chdir', 'hide-args'],
  },
  osascript: { inlineShort: 'e', valueShort: 'ls' },
  lua: { inlineShort: 'e', valueShort: 'l' },
  luajit: { inlineShort: 'e', valueShort: 'ljO' },
  rscript: { inlineShort: 'e', flagLong: ['vanilla', 'verbose', 'no-', 'default-packages', 'version', 'help'] },
  r: { inlineShort: 'e', flagLong: ['vanilla', 'slave', 'quiet', 'silent', 'no-', 'interactive', 'args', 'version', 'help'] },
  julia: { inlineShort: 'eE', inlineLong: ['eval', 'print'], valueShort: 'CJLOgpt', flagLong: ['quiet', 'version', 'help'] },
  groovy: { inlineShort: 'e', valueShort: 'cl' },
  elixir: { inlineShort: 'e', inlineLong: ['eval', 'rpc-eval'], valueShort: 'rS', flagLong: ['no-halt', 'version', 'help'] },
  iex: { inlineShort: 'e', inlineLong: ['eval', 'rpc-eval', 'dot-iex'], valueShort: 'rS' },
  racket: { inlineShort: 'ef', inlineLong: ['eval', 'load'], valueShort: 'trlpkW', flagLong: ['version', 'help', 'repl', 'no-lib'] },
  guile: { inlineShort: 'c', valueShort: 'Lxle', flagLong: ['no-auto-compile', 'auto-compile', 'fresh-auto-compile', 'version', 'help', 'debug', 'no-debug'] },
  expect: { inlineShort: 'c', valueShort: 'fD' },
  deno: { inlineLong: ['eval', 'eval-file'], inlineValue: dataUrl, flagLong: ['no-', 'unstable', 'quiet', 'reload', 'check', 'version', 'help', 'watch', 'allow-all', 'allow-net', 'allow-read', 'allow-write', 'allow-env', 'allow-run', 'allow-ffi', 'allow-sys', 'allow-import'] },
  erl: { inlineWords: ['-eval', '-run', '-s'] },
  sbcl: { inlineWords: ['--eval'] },
  clojure: { inlineWords: ['-e', '--eval'] },
  clj: { inlineWords: ['-e', '--eval'] },
  gdb: { inlineWords: ['-ex', '--ex', '-iex', '--iex', '-eval-command', '--eval-command', '-init-eval-command', '--init-eval-command'] },
};

const AWKS = new Set(['awk', 'gawk', 'mawk', 'nawk', 'original-awk', 'busybox-awk']);

export function isInterpreter(name: string): boolean {
  return Object.hasOwn(INTERPRETERS, name) || AWKS.has(name);
}

/** An inline-code step (`node -e`), a step into a package runner (`bun x`), or `final`. */
export function interpret(name: string, display: string, args: readonly string[]): Step {
  if (AWKS.has(name)) return awk(display, args);
  const spec = INTERPRETERS[name]!;
  if (spec.inlineWords) {
    const hit = args.find((arg) => spec.inlineWords!.some((word) => arg === word || arg.startsWith(`${word}=`)));
    return hit ? { kind: 'inline', runs: `${display} ${hit.split('=')[0]}` } : { kind: 'final' };
  }
  const operand = scanOptions(spec, args);
  if (typeof operand === 'string') return { kind: 'inline', runs: `${display} ${operand}` };
  const first = operand === undefined ? undefined : args[operand];
  if (name === 'bun' && first === 'x') return { kind: 'runs', argv: ['bunx', ...args.slice(operand! + 1)], via: `${display} x` };
  if (name === 'bun' && first === 'exec') return { kind: 'shell', runs: `${display} exec` };
  if (name === 'deno' && (first === 'eval' || (first === 'repl' && args.some((a) => a.startsWith('--eval'))))) return { kind: 'inline', runs: `${display} ${first}` };
  if (name === 'deno' && operand !== undefined) {
    // `deno run [options] <script>`: the subcommand's own options and a data: URL script.
    const again = scanOptions(spec, args.slice(operand + 1));
    if (typeof again === 'string') return { kind: 'inline', runs: `${display} ${first} ${again}` };
    const script = again === undefined ? undefined : args[operand + 1 + again];
    if (script !== undefined && dataUrl('', script)) return { kind: 'inline', runs: `${display} ${first} data:` };
  }
  return { kind: 'final' };
}

/** The index of the script operand, undefined when options run to the end, or the spelling of inline code. */
function scanOptions(spec: InterpreterSpec, args: readonly string[]): number | undefined | string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--' || arg === '-') return undefined;
    if (!arg.startsWith('-')) return i;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      if (spec.inlineLong?.includes(name)) return `--${name}`;
      if (eq !== -1) {
        if (spec.inlineValue?.(name, arg.slice(eq + 1))) return `--${name}`;
        continue;
      }
      if (spec.flagLong?.some((flag) => (flag.endsWith('-') ? name.startsWith(flag) : name === flag))) continue;
      // Unknown arity: the next argument may be this option's value, so keep reading after it.
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('-')) {
        if (spec.inlineValue?.(name, next)) return `--${name}`;
        i += 1;
      }
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]!;
      if (spec.inlineShort?.includes(letter)) return `-${letter}`;
      if (spec.stopShort?.includes(letter)) return undefined;
      const attached = spec.attached?.[letter];
      if (attached) {
        j += attached.exec(arg.slice(j + 1))![0].length;
        continue;
      }
      if (spec.valueShort?.includes(letter)) {
        const attached = arg.slice(j + 1);
        const value = attached || args[i + 1];
        if (!attached) i += 1;
        if (value !== undefined && spec.inlineValue?.(letter, value)) return `-${letter}`;
        break;
      }
    }
  }
  return undefined;
}

/** awk runs its first operand as a program unless one comes from a file (-f, --file, -E, --exec). */
function awk(display: string, args: readonly string[]): Step {
  let fromFile = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return fromFile || i + 1 >= args.length ? { kind: 'final' } : { kind: 'inline', runs: `${display} '<program>'` };
    if (!arg.startsWith('-') || arg === '-') return fromFile ? { kind: 'final' } : { kind: 'inline', runs: `${display} '<program>'` };
    const long = /^--([^=]+)(=?)/.exec(arg);
    if (long) {
      if (long[1]!.length > 1 && 'source'.startsWith(long[1]!)) return { kind: 'inline', runs: `${display} --source` };
      if (['file', 'exec'].includes(long[1]!)) fromFile = true;
      if (!long[2] && ['file', 'exec', 'field-separator', 'assign', 'include', 'load'].includes(long[1]!)) i += 1;
      continue;
    }
    const letter = arg[1]!;
    if (letter === 'e') return { kind: 'inline', runs: `${display} -e` };
    if (letter === 'f' || letter === 'E') fromFile = true;
    if ('fFvEilW'.includes(letter) && arg.length === 2) i += 1;
  }
  return { kind: 'final' };
}
