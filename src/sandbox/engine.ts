// The contract between the runtime and a sandbox engine. Knows nothing of MCP: the guest sees
// namespaces of async functions, and every call crosses as JSON text through a HostBridge.

/** Hard limits of one run. Every one of them, when hit, ends the run with its own error code. */
export interface Limits {
  /** Time the guest may spend executing (awaiting host calls does not count). */
  readonly cpuMs: number;
  /** Time from start to end of the run, awaits included. */
  readonly wallMs: number;
  /** Memory of the guest's heap. */
  readonly memoryBytes: number;
  /**
   * Guest stack size (deep recursion ends the run with SANDBOX_STACK). An engine may hold it to
   * what its thread can bear (the QuickJS engine: about workerStackMb / 48, at most 4 MiB).
   */
  readonly stackBytes: number;
  /** Bytes of console output kept; the rest is dropped and the outcome says so. */
  readonly maxLogBytes: number;
  /** Bytes of the JSON of the return value; larger ends the run with LIMIT_OUTPUT. */
  readonly maxResultBytes: number;
}

/** What the host answers to one guest call. `fatal` ends the whole run with that error. */
export type BridgeReply =
  /** `orText`: `json` is an upstream's text; when it does not parse as JSON, the value is the text itself. */
  | { readonly ok: true; readonly json: string; readonly orText?: boolean }
  | { readonly ok: false; readonly error: GuestVisibleError; readonly fatal?: boolean };

/** An error as the guest (and later the model) may see it: plain data, no host stack. */
export interface GuestVisibleError {
  readonly code: string;
  readonly message: string;
  /** JSON-safe extra data (e.g. the tool's error content). */
  readonly data?: unknown;
}

export interface HostBridge {
  /** A guest called `namespace.fn(args)`; `argsJson` is JSON text made in the guest. Never rejects. */
  call(namespace: string, fn: string, argsJson: string): Promise<BridgeReply>;
  /**
   * Console output while the run goes on (absent: the engine sends none). Each entry kept within
   * `maxLogBytes` arrives once, in order, and entries logged before a call arrive before that
   * call; every one of them is also in the outcome's `logs`. Nothing beyond the budget crosses;
   * the entry the budget cut ends with CUT_MARK here (not in `logs`).
   * A throw here is ignored.
   */
  log?(entry: LogEntry): void;
}

export interface RunRequest {
  /** JavaScript source of an async function expression, e.g. `(async () => { ... })`. The engine calls it once. */
  readonly code: string;
  /** File name used in guest stack traces. */
  readonly filename: string;
  /** Namespaces to install as frozen globals: namespace -> function names. */
  readonly api: Readonly<Record<string, readonly string[]>>;
  /**
   * Namespaces of `api` the engine renders in another form than an object of async functions:
   * `fetch` installs a WHATWG-shaped global `fetch(url, init)` over the namespace's `request`.
   */
  readonly forms?: Readonly<Record<string, GuestForm>>;
  /** Functions written in guest JavaScript on one namespace of `api` (whose form is `library`). */
  readonly library?: GuestLibrary;
  readonly limits: Limits;
}

/**
 * How a host namespace appears in the guest (see RunRequest.forms and RunRequest.library). `positional`: an object of
 * async functions that take any number of arguments (`state.set(key, value)`), sent as a JSON array.
 * `library`: see GuestLibrary.
 */
export type GuestForm = 'fetch' | 'positional' | 'library';

/**
 * A namespace whose functions are partly guest JavaScript (saved skills). The guest object has the
 * namespace's host functions from `api` (except `gate`) and one async function per source. A call
 * `ns.name(args)` first calls the host's `ns.<gate>` with the JSON `{ name, args }` (the host checks
 * the arguments; a refusal is the call's ToolError), then runs the function on a fresh copy of
 * `args`, inside the same run and limits. Each source's stack frames are in the file `ns.name`.
 */
export interface GuestLibrary {
  readonly namespace: string;
  /** A host function of the namespace in `api`; not installed on the guest object. */
  readonly gate: string;
  /** Library functions calling one another deeper than this throw a RangeError in the guest. */
  readonly maxDepth: number;
  /**
   * Name -> the JavaScript source of one async function expression of one argument. The engine
   * evaluates it where the namespace's own name is the namespace one call level deeper. Only
   * function expressions may be given: the engine evaluates each source as it is.
   */
  readonly functions: Readonly<Record<string, string>>;
}

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface LogEntry {
  readonly level: LogLevel;
  readonly text: string;
}

/** Where in `RunRequest.code` an error happened (1-based line, 1-based column), when the engine knows. */
export interface CodePosition {
  readonly line: number;
  readonly column: number;
}

export interface RunStats {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly hostCalls: number;
  /** Calls the guest refused itself because the program's body had settled (made while serializing its value or error). */
  readonly lateCalls?: number;
}

export type RunOutcome =
  | {
      readonly ok: true;
      /** JSON text of the return value; undefined when the program returned undefined. */
      readonly valueJson: string | undefined;
      readonly logs: readonly LogEntry[];
      readonly logsTruncated: boolean;
      readonly stats: RunStats;
    }
  | {
      readonly ok: false;
      readonly error: RunFailure;
      readonly logs: readonly LogEntry[];
      readonly logsTruncated: boolean;
      readonly stats: RunStats;
    };

export interface RunFailure {
  /**
   * SANDBOX_TIMEOUT | SANDBOX_CPU | SANDBOX_MEMORY | SANDBOX_STACK | SANDBOX_CRASHED | LIMIT_OUTPUT | GUEST_THREW, or a fatal bridge code.
   * A syntax error in `RunRequest.code` is GUEST_THREW with name `SyntaxError` and a position
   * (the Python engine, which compiles in the sandbox: SYNTAX_ERROR with the name and position).
   */
  readonly code: string;
  readonly message: string;
  /** For GUEST_THREW: the guest error's name (`TypeError`, `ToolError`). */
  readonly name?: string;
  /** Position in RunRequest.code of the innermost guest frame, when known. */
  readonly position?: CodePosition;
  /** The innermost guest frame, when it lies in a library function (RunRequest.library): its name and position in its source. */
  readonly library?: { readonly name: string; readonly position: CodePosition };
  /** For ToolError: the data the host attached. */
  readonly data?: unknown;
  /** For ToolError: its `code` (TOOL_ERROR, ARGUMENT_INVALID, UPSTREAM_TIMEOUT, ...). */
  readonly toolCode?: string;
  /** The limit that ended the run, when one did (a deadlock is SANDBOX_TIMEOUT without one). */
  readonly limit?: keyof Limits;
}

export interface Engine {
  /** `signal` cancels the run (queued or running) with SANDBOX_CANCELLED; a running worker is stopped. */
  run(request: RunRequest, bridge: HostBridge, signal?: AbortSignal): Promise<RunOutcome>;
  /** Stops every worker; pending runs end with SANDBOX_CRASHED. */
  close(): Promise<void>;
  /** Starts what the engine needs before its first run (optional; a run starts it anyway). */
  prepare?(): void;
}
