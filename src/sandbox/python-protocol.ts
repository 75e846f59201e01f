// The messages of the Python sandbox. Each sandbox process has two channels to the gateway, one
// JSON object a line: control (stdin/stdout, its trusted main thread: runs in, outcomes out) and
// data (fd 3, its one worker thread: host calls and console lines out, replies in). Between that
// main thread and its worker: structured clone. Types only; run, reply and outcome are the
// JavaScript engine's shapes.
import type { LogEntry, RunOutcome } from './engine.js';
import type { WasmModule } from './wasm-api.js';
import type { ReplyMessage, RunMessage } from './worker-protocol.js';

export type { ReplyMessage, RunMessage };

/** The data channel's file descriptor in a sandbox process (the gateway spawns it as stdio[3]). */
export const DATA_FD = 3;

/** A snapshot file starts with the SHA-256 of the rest (checked by the gateway before use). */
export const SNAPSHOT_HEADER_BYTES = 32;

/** Given to a sandbox process as its one argument (JSON). */
export interface HostSettings {
  /** `snapshot`: make the interpreter snapshot, write it to the data channel and exit; `run`: serve runs. */
  readonly mode: 'snapshot' | 'run';
  /** pyodide's folder, a path ending with a separator. */
  readonly indexURL: string;
  /** The snapshot file (mode `run`): a 32-byte SHA-256 of the rest, then the snapshot. */
  readonly snapshotPath?: string;
  readonly graceMs: number;
  /** Exit after every run (the next run gets a new process, so a new worker and realm). */
  readonly processPerRun: boolean;
  readonly maxArgumentBytes: number;
  readonly workerHeapMb: number;
  readonly workerStackMb: number;
  /** Test only (python-closures.ts): never sent by the gateway. */
  readonly removedClosures?: readonly string[];
}

/** Gateway -> sandbox process (control): run this program now (the process was idle). */
export type GatewayToHost = RunMessage;

/** Gateway -> worker (data). */
export type GatewayToWorker = ReplyMessage;

/** Sandbox process -> gateway (control). */
export type HostToGateway =
  /** Mode `run`: the worker is up; runs may be sent. */
  | { readonly type: 'ready' }
  /** An interpreter is restored and waiting: the next run starts at once. */
  | { readonly type: 'warm' }
  /** Mode `snapshot`: that many bytes were written to the data channel, which is now closed. */
  | { readonly type: 'snapshot'; readonly bytes: number }
  /** The process cannot run Python (the message says why); it exits after this. */
  | { readonly type: 'fault'; readonly message: string }
  /**
   * The run ended. `dataEnd`: the worker ended it and said `end` on the data channel after its last
   * line (false: the worker was stopped, nothing more comes). `last`: the process exits now.
   */
  | { readonly type: 'done'; readonly runId: number; readonly outcome: RunOutcome; readonly dataEnd: boolean; readonly last: boolean };

/** Worker -> gateway (data). */
export type WorkerToGateway =
  | { readonly type: 'call'; readonly runId: number; readonly callId: number; readonly namespace: string; readonly fn: string; readonly argsJson: string }
  | { readonly type: 'log'; readonly runId: number; readonly entries: readonly LogEntry[] }
  /** Nothing more of run `runId` comes on this channel (its outcome comes on the control channel). */
  | { readonly type: 'end'; readonly runId: number };

/** Given to the worker thread at spawn. */
export interface PythonWorkerData {
  readonly mode: HostSettings['mode'];
  readonly indexURL: string;
  /** pyodide.asm.wasm, compiled once by the process. */
  readonly wasmModule: WasmModule;
  /** The interpreter snapshot (mode `run`). */
  readonly snapshot?: SharedArrayBuffer;
  /** One Int32 cell: the main thread writes 2 (SIGINT) to stop the program (pyodide's interrupt buffer). */
  readonly interrupt: SharedArrayBuffer;
  readonly maxArgumentBytes: number;
  /** Test only (python-closures.ts): closures left out; empty in every real engine. */
  readonly removedClosures: readonly string[];
}

/** Worker -> main thread. */
export type WorkerToHostProcess =
  | { readonly type: 'snapshot'; readonly bytes: Uint8Array }
  | { readonly type: 'ready' }
  | { readonly type: 'warm' }
  /** The run's interpreter is ready and its program starts now: the CPU and wall clocks start here. */
  | { readonly type: 'begin'; readonly runId: number }
  /** `recycle`: the worker must not serve another run (its event loop may still hold the run's tasks). */
  | { readonly type: 'done'; readonly runId: number; readonly outcome: RunOutcome; readonly recycle: boolean };
