// The closures that make pyodide a sandbox, by name, for one test only: test/security/python-closures
// removes each in turn (PythonEngineOptions.removeClosuresForTest) to prove the escape battery notices.
// Nothing in config, the CLI or a program can name one: the gateway never passes that option.

/** Each closure of the Python sandbox (SECURITY.md, "The Python sandbox"), by where it is applied. */
export const PYTHON_CLOSURES = [
  // python-engine.ts: how the sandbox host process is spawned.
  'empty-env',
  'permission-model',
  // python-instance.ts: WebAssembly imports replaced at instantiation, by group.
  'import-system',
  'import-run-script',
  'import-sockets',
  'import-dlopen',
  'import-ffi',
  // python-instance.ts: what of JavaScript a program can import, and the heap's cap.
  'jsglobals',
  'js-modules',
  'js-leftovers',
  'ctypes-import',
  'unsafe-builtins',
  'heap-cap',
  // python-worker.ts: the worker thread's own JavaScript, and one interpreter per run.
  'network-apis',
  'function-constructors',
  'frozen-intrinsics',
  'pending-timers',
  'fresh-interpreter',
  // python-host.ts: the CPU and wall limits.
  'interrupt',
  'terminate',
] as const;

export type PythonClosure = (typeof PYTHON_CLOSURES)[number];

/**
 * The closures that change what the interpreter snapshot holds (the others act on the worker's
 * JavaScript or at instantiation): a snapshot made with these removed is cached under its own key.
 */
export const SNAPSHOT_CLOSURES: readonly PythonClosure[] = ['jsglobals'];

/** The closures a test removed (empty in every real engine). */
export class RemovedClosures {
  private readonly names: ReadonlySet<string>;

  constructor(names: readonly string[] | undefined) {
    this.names = new Set((names ?? []).filter((name) => (PYTHON_CLOSURES as readonly string[]).includes(name)));
  }

  /** True when `closure` is still in place (always, outside the closures test). */
  keeps(closure: PythonClosure): boolean {
    return !this.names.has(closure);
  }

  get list(): readonly string[] {
    return [...this.names];
  }
}
