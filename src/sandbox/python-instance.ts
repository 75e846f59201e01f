// Makes pyodide interpreters inside a Python sandbox worker, with the closures that make one a
// sandbox: dangerous WebAssembly imports replaced at instantiation (shell, script eval, sockets,
// name lookup, dlopen), a heap that cannot grow past the run's cap, no JS globals, and the `js` /
// `pyodide_js` modules unregistered. Imported by python-worker.ts only.
import { createRequire } from 'node:module';
import { loadPyodide, type PyodideInterface as PyodideAPI } from 'pyodide';
import type { PythonClosure, RemovedClosures } from './python-closures.js';
import { PYTHON_LOOP } from './python-loop.js';
import { PYTHON_PRELUDE } from './python-prelude.js';
import { assertOwnStdlib, cachePyodideFiles, restoreOptions } from './python-restore.js';
import type { WasmMemory, WasmModule } from './wasm-api.js';

type Imports = Record<string, Record<string, unknown>>;
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface InstantiatingApi {
  readonly Module: new (...args: never[]) => WasmModule;
  instantiate(source: unknown, imports?: Imports): Promise<unknown>;
}
const WA = (globalThis as unknown as { readonly WebAssembly: InstantiatingApi }).WebAssembly;

/** One interpreter and the knobs of its heap. */
export interface PythonInstance {
  readonly py: PyodideAPI;
  readonly heap: HeapGuard;
  /** Where its print() and stderr lines go: bound while it is restored, set by the run that uses it. */
  readonly output: OutputSink;
  /** Its `_cemcp` module (python-prelude.ts), imported while it is restored. */
  readonly cemcp: unknown;
}

export interface OutputSink {
  write: ((level: 'log' | 'error', line: string) => void) | undefined;
}

/** Read by the instance's `emscripten_resize_heap`: growth past `capBytes` is refused. */
export class HeapGuard {
  capBytes = Number.POSITIVE_INFINITY;
  /** An allocation was refused: the run is over, whatever the program does with its MemoryError. */
  exhausted = false;
  /** Called once when a growth is refused (the worker interrupts the program). */
  onExhausted: (() => void) | undefined;
  heapBytes: () => number = () => 0;
}

const EPERM = 63; // Emscripten's errno numbers
const EAI_FAIL = -4;

type Replacement = (...args: unknown[]) => number;

/** Imports of pyodide's module a program must never reach, with what each answers instead, by closure. */
const BLOCKED_GROUPS: Readonly<Record<PythonClosure & `import-${string}`, Readonly<Record<string, Replacement>>>> = {
  // os.system / subprocess: Emscripten's Node build spawns a real shell here.
  'import-system': { _emscripten_system: () => -1 },
  // eval of a JS string taken from the heap.
  'import-run-script': {
    emscripten_run_script: () => 0,
    emscripten_run_script_int: () => 0,
    emscripten_run_script_string: () => 0,
  },
  // Sockets (Node builds reach real TCP through these) and name lookups.
  'import-sockets': {
  __syscall_socket: () => -EPERM,
  __syscall_socketpair: () => -EPERM,
  __syscall_connect: () => -EPERM,
  __syscall_bind: () => -EPERM,
  __syscall_listen: () => -EPERM,
  __syscall_accept4: () => -EPERM,
  __syscall_sendto: () => -EPERM,
  __syscall_recvfrom: () => -EPERM,
  __syscall_sendmsg: () => -EPERM,
  __syscall_recvmsg: () => -EPERM,
  __syscall_getsockname: () => -EPERM,
  __syscall_getpeername: () => -EPERM,
  __syscall_getsockopt: () => -EPERM,
  __syscall_setsockopt: () => -EPERM,
  __syscall_shutdown: () => -EPERM,
  getaddrinfo: () => EAI_FAIL,
  _emscripten_lookup_name: () => 0,
  },
  // Loading native code (ctypes, extension modules from a package) at run time.
  'import-dlopen': { _dlopen_js: () => 0, _emscripten_dlopen_js: () => 0, _dlsym_js: () => 0 },
  // ctypes' foreign calls and callbacks (libffi's JS half): no C function is callable from Python.
  'import-ffi': { ffi_call_js: () => 0, ffi_closure_alloc_js: () => 0, ffi_prep_closure_loc_js: () => 1 },
};

/** Names of the replaced imports (for tests and SECURITY.md). */
export const BLOCKED_IMPORT_NAMES: readonly string[] = Object.values(BLOCKED_GROUPS).flatMap((group) => Object.keys(group));

let compiledModule: WasmModule | undefined;
// Every closure in place, but in the closures test (python-closures.ts); set with the guard.
let closures: RemovedClosures | undefined;
// The guard of the instance being made now (instances are made one at a time in a worker).
let nextGuard: HeapGuard | undefined;

/**
 * Routes pyodide's instantiation through `module` (compiled once by the host process) and
 * replaces the blocked imports on every instance. Called once per worker, before any instance.
 */
export function installInstantiationGuard(module: WasmModule, removed?: RemovedClosures): void {
  compiledModule = module;
  closures = removed;
  const real = WA.instantiate.bind(WA) as (m: WasmModule, i: Imports) => Promise<WasmInstance>;
  const guarded = async (source: unknown, imports: Imports = {}): Promise<unknown> => {
    if (source instanceof WA.Module) return real(source, imports);
    const mod = compiledModule;
    const guard = nextGuard;
    if (!mod || !guard) throw new Error('pyodide instantiated outside createPythonInstance');
    nextGuard = undefined;
    const env = imports['env'] ?? {};
    for (const [group, replacements] of Object.entries(BLOCKED_GROUPS)) {
      if (!keeps(group as PythonClosure)) continue;
      for (const [name, replacement] of Object.entries(replacements)) if (name in env) env[name] = replacement;
    }
    const resize = env['emscripten_resize_heap'] as (size: number) => number;
    env['emscripten_resize_heap'] = (size: number): number => {
      if (size >>> 0 > guard.capBytes && keeps('heap-cap')) {
        if (!guard.exhausted) {
          guard.exhausted = true;
          guard.onExhausted?.();
        }
        return 0;
      }
      return resize(size);
    };
    const instance = await real(mod, imports);
    const memory = instance.exports['memory'] as WasmMemory;
    guard.heapBytes = () => memory.buffer.byteLength;
    return { instance, module: mod };
  };
  Object.defineProperty(WA, 'instantiate', { value: guarded, writable: false, configurable: false });
}

/**
 * pyodide's NODEFS reads the fs flag constants through `process.binding('constants')`, which the
 * permission model refuses in the sandbox's workers: that one name is answered here, any other
 * still goes to Node (and is refused).
 */
export function answerConstantsBinding(): void {
  const require = createRequire(import.meta.url);
  const constants = { fs: (require('node:fs') as { constants: object }).constants, os: (require('node:os') as { constants: object }).constants };
  const host = process as unknown as { binding(name: string): unknown };
  const real = host.binding.bind(process);
  host.binding = (name: string): unknown => (name === 'constants' ? constants : real(name));
}

/**
 * Removes `.constructor` from the prototypes of every kind of function in this worker: a JS
 * object that reaches Python (a proxy) can then not climb to `Function` and compile host code.
 */
export function removeFunctionConstructors(): void {
  const kinds = [function () {}, async function () {}, function* () {}, async function* () {}];
  for (const fn of kinds) {
    const proto = Object.getPrototypeOf(fn) as object;
    Reflect.deleteProperty(proto, 'constructor');
  }
}

/**
 * Turns off every network API of Node in this worker (pyodide's Node socket support, fetch, DNS):
 * nothing in a Python sandbox worker has a reason to connect anywhere. A layer under the WebAssembly
 * import replacement, for a program that reached a JS object all the same.
 */
export function disableNetwork(): void {
  const require = createRequire(import.meta.url);
  const refuse = (): never => {
    throw new Error('network access is disabled in the Python sandbox');
  };
  const net = require('node:net') as Record<string, unknown> & { Socket: { prototype: Record<string, unknown> }; Server: { prototype: Record<string, unknown> } };
  for (const name of ['connect', 'createConnection', 'createServer']) net[name] = refuse;
  net.Socket.prototype['connect'] = refuse;
  net.Server.prototype['listen'] = refuse;
  const tls = require('node:tls') as Record<string, unknown>;
  tls['connect'] = refuse;
  const dgram = require('node:dgram') as Record<string, unknown>;
  dgram['createSocket'] = refuse;
  const dns = require('node:dns') as Record<string, unknown> & { promises: Record<string, unknown> };
  for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) {
    dns[name] = refuse;
    dns.promises[name] = refuse;
  }
  for (const name of ['http', 'https']) {
    const mod = require(`node:${name}`) as Record<string, unknown>;
    mod['request'] = refuse;
    mod['get'] = refuse;
  }
  Object.defineProperty(globalThis, 'fetch', { value: () => Promise.reject(new Error('network access is disabled in the Python sandbox')), writable: false, configurable: false });
}

const keeps = (closure: PythonClosure): boolean => closures?.keeps(closure) ?? true;

const silent = (): void => {};

/** Options every instance shares: nothing of the worker's world is handed to Python. */
function baseOptions(indexURL: string): Parameters<typeof loadPyodide>[0] {
  return {
    indexURL,
    jsglobals: keeps('jsglobals') ? {} : globalThis,
    env: { HOME: '/home/pyodide' },
    args: [],
    stdout: silent,
    stderr: silent,
    stdin: () => null,
    // Else sys.executable (and $_) would name the worker's file on the host.
    _sysExecutable: 'python',
    checkAPIVersion: true,
  };
}

/** Builtin modules a program must never get: raw memory (`_ctypes`) and CPython's memory-unsafe test helpers. */
const REFUSED_BUILTINS = ['_ctypes', '_testcapi', '_testinternalcapi', '_testlimitedcapi', '_testbuffer', '_testclinic', '_testclinic_limited', '_xxtestfuzz', 'xxsubtype', '_remote_debugging'];

/** Cuts the ways from Python to JavaScript that pyodide opens by default. */
function closeJsModules(py: PyodideAPI): void {
  if (keeps('js-modules')) {
    py.unregisterJsModule('js');
    py.unregisterJsModule('pyodide_js');
  }
  // What pyodide's start left of them: `pyodide_js._api` (its internal API, public_api included) in
  // sys.modules, and import specs whose loaders hold the JS objects (gc.get_objects() finds those).
  if (keeps('js-leftovers')) py.runPython(JS_LEFTOVERS);
  // ctypes: its foreign calls are already inert (ffi_call_js); refusing the import says so early.
  if (keeps('ctypes-import')) py.runPython("import sys\nfor _n in ('ctypes', '_ctypes'):\n    sys.modules[_n] = None\ndel _n");
  // Every other builtin module was imported before the snapshot: without create_builtin, those left
  // out (REFUSED_BUILTINS) can't be made, even by a program that empties sys.modules.
  if (keeps('unsafe-builtins')) py.runPython('import _imp\ndel _imp.create_builtin\ndel _imp');
}

// pyodide's import hook keeps a loader per JS module, each holding its JS object. They are found
// once, with a scan of every object, before the snapshot (JS_LOADERS_FOUND), so a restore cuts them
// from a list instead of scanning again: the scan took ~8% of a restore.
const JS_LOADERS_FOUND = `def _find():
    import gc
    return [o for o in gc.get_objects() if type(o).__name__ == 'JsLoader' and type(o).__module__ == '_pyodide._importhook']
import _cemcp
_cemcp._js_loaders = _find()
del _find, _cemcp`;

const JS_LEFTOVERS = `def _cut():
    import sys, _cemcp
    for name in [n for n in sys.modules if n.split('.')[0] in ('js', 'pyodide_js')]:
        sys.modules.pop(name, None)
    for o in _cemcp._js_loaders:
        o.jsproxy = None
    del _cemcp._js_loaders
_cut()
del _cut`;

/** Defines the module `_cemcp` (the prelude and its event loop) in `py`: once, before the snapshot. */
export function defineBridgeModule(py: Pick<PyodideAPI, 'runPython'>): void {
  py.runPython(`import sys, types\n_m = types.ModuleType('_cemcp')\nexec(${JSON.stringify(PYTHON_PRELUDE + PYTHON_LOOP)}, _m.__dict__)\nsys.modules['_cemcp'] = _m\ndel _m, types`);
}

/** Modules a program is likely to import, loaded before the snapshot so a run does not pay for them. */
const PRELOADED = 'json re datetime collections itertools functools math decimal dataclasses typing statistics string textwrap enum random base64 hashlib uuid zoneinfo copy operator heapq bisect fractions'.split(' ');

/** A full start (seconds), the prelude run, and a memory snapshot of the result. */
export async function makeSnapshot(indexURL: string): Promise<Uint8Array> {
  nextGuard = new HeapGuard();
  // The `js` module stays registered until the snapshot is made: the snapshot expects its entry.
  const py = await loadPyodide({ ...baseOptions(indexURL), _makeSnapshot: true });
  defineBridgeModule(py);
  py.runPython(PRELOADED.map((name) => `try:\n    import ${name}\nexcept BaseException:\n    pass`).join('\n'));
  // Every builtin module but the refused ones, so that create_builtin can go (closeJsModules).
  py.runPython(`import importlib, sys\nfor _n in sorted(set(sys.builtin_module_names) - set(${JSON.stringify(REFUSED_BUILTINS)}) - set(sys.modules)):\n    try:\n        importlib.import_module(_n)\n    except BaseException:\n        pass\ndel _n`);
  py.runPython(JS_LOADERS_FOUND);
  return py.makeMemorySnapshot();
}

// This worker's way to restore (files read once, the sparse copy of the memory image), made at its first instance.
let restoring: { readonly snapshot: Uint8Array; readonly options: Promise<LoadOptions> } | undefined;
type LoadOptions = Parameters<typeof loadPyodide>[0];

/**
 * A fresh interpreter restored from `snapshot`; no program has run in it. Each is a new WebAssembly
 * instance with a new memory: nothing of an earlier instance is reused, only what was read from disk.
 */
export async function createPythonInstance(indexURL: string, snapshot: Uint8Array): Promise<PythonInstance> {
  if (restoring?.snapshot !== snapshot) {
    cachePyodideFiles(indexURL);
    restoring = { snapshot, options: restoreOptions(indexURL, snapshot) as Promise<LoadOptions> };
  }
  const options = await restoring.options;
  const heap = new HeapGuard();
  nextGuard = heap;
  const py = await loadPyodide({ ...baseOptions(indexURL), ...options, _loadSnapshot: snapshot });
  assertOwnStdlib(py.FS);
  closeJsModules(py);
  // Done here, while the worker is idle, rather than at the start of the run.
  const output: OutputSink = { write: undefined };
  py.setStdout({ batched: (line: string) => output.write?.('log', line) });
  py.setStderr({ batched: (line: string) => output.write?.('error', line) });
  const cemcp = py.pyimport('_cemcp') as { bind_loop(): void };
  // The event loop's drain proxy (python-loop.ts): a JS reference cannot be in the snapshot.
  cemcp.bind_loop();
  return { py, heap, output, cemcp };
}
