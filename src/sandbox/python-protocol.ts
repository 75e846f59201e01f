// The messages of the Python sandbox: between the gateway and its sandbox host process (one JSON
// object a line over the child's stdin/stdout), and between that process and its worker threads
// (structured clone). Types only; the run, reply and outcome shapes are the JavaScript engine's.
import type { LogEntry, RunOutcome } from './engine.js';
import type { WasmModule } from './wasm-api.js';
import type { ReplyMessage, RunMessage } from './worker-protocol.js';

export type { ReplyMessage, RunMessage };

/** Gateway -> host process. */
export type GatewayToHost = RunMessage | ReplyMessage | { readonly type: 'cancel'; readonly runId: number };

/** Host process -> gateway (and worker -> host process, but for `started` and `fault`). */
export type HostToGateway =
  /** The snapshot is made and the pool is up. */
  | { readonly type: 'ready' }
  /** The process cannot run Python (the message says why); it exits after this. */
  | { readonly type: 'fault'; readonly message: string }
  /** Run `runId` left the queue and runs in a worker now (its limits' clocks start). */
  | { readonly type: 'started'; readonly runId: number }
  | { readonly type: 'call'; readonly runId: number; readonly callId: number; readonly namespace: string; readonly fn: string; readonly argsJson: string }
  | { readonly type: 'log'; readonly runId: number; readonly entries: readonly LogEntry[] }
  | { readonly type: 'done'; readonly runId: number; readonly outcome: RunOutcome };

/** Given to each worker thread at spawn. */
export interface PythonWorkerData {
  /** `snapshot`: make the interpreter snapshot, post it and exit; `run`: serve runs. */
  readonly mode: 'snapshot' | 'run';
  /** pyodide's folder, a path ending with a separator. */
  readonly indexURL: string;
  /** pyodide.asm.wasm, compiled once by the host process. */
  readonly wasmModule: WasmModule;
  /** The interpreter snapshot (mode `run`). */
  readonly snapshot?: SharedArrayBuffer;
  /** One Int32 cell: the host process writes 2 (SIGINT) to stop the program (pyodide's interrupt buffer). */
  readonly interrupt: SharedArrayBuffer;
  readonly maxArgumentBytes: number;
  /** Test only (python-closures.ts): closures left out; empty in every real engine. */
  readonly removedClosures: readonly string[];
}

/** Worker -> host process. */
export type WorkerToHostProcess =
  | { readonly type: 'snapshot'; readonly bytes: Uint8Array }
  | { readonly type: 'ready' }
  | { readonly type: 'warm' }
  /** The run's interpreter is ready and its program starts now: the CPU and wall clocks start here. */
  | { readonly type: 'begin'; readonly runId: number }
  | { readonly type: 'call'; readonly runId: number; readonly callId: number; readonly namespace: string; readonly fn: string; readonly argsJson: string }
  | { readonly type: 'log'; readonly runId: number; readonly entries: readonly LogEntry[] }
  /** `recycle`: the worker must be replaced (its event loop may still hold the run's tasks). */
  | { readonly type: 'done'; readonly runId: number; readonly outcome: RunOutcome; readonly recycle: boolean };
