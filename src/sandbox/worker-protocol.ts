// The messages between the engine (main thread) and a sandbox worker. Types only, plus the
// workerData shape. Everything here is structured-clone data: only strings and plain records
// cross, never a function or a host object.
import type { GuestForm, GuestLibrary, Limits, LogEntry, RunOutcome } from './engine.js';
import type { WasmModule } from './wasm-api.js';

/** Given to every worker at spawn. The wasm module is compiled once in the host and shared. */
export interface SandboxWorkerData {
  readonly wasmModule: WasmModule;
  /** Largest QuickJS stack a run may get in this worker (see guest-sizing.ts). */
  readonly maxGuestStackBytes: number;
  /** Largest JSON of one call's arguments that may leave the guest. */
  readonly maxArgumentBytes: number;
  /** The SharedCpuClock's buffer (see cpu-clock.ts): one per worker, read by its host watchdog. */
  readonly cpuClock: SharedArrayBuffer;
  /** The memory limit to prepare the first spare instance for (later spares follow the last run). */
  readonly warmMemoryBytes: number;
}

/** Host -> worker: start one run. The api has already been filtered of unsafe names. */
export interface RunMessage {
  readonly type: 'run';
  readonly runId: number;
  readonly code: string;
  readonly filename: string;
  readonly api: Readonly<Record<string, readonly string[]>>;
  readonly forms?: Readonly<Record<string, GuestForm>>;
  readonly library?: GuestLibrary;
  readonly limits: Limits;
  /** Send console output as `log` messages while the run goes on (the host has a listener). */
  readonly streamLogs?: boolean;
}

/** Host -> worker: the answer to one guest call, already encoded as the guest will read it. */
export type ReplyMessage =
  | { readonly type: 'reply'; readonly runId: number; readonly callId: number; readonly ok: true; readonly json: string; readonly orText?: boolean }
  | {
      readonly type: 'reply';
      readonly runId: number;
      readonly callId: number;
      readonly ok: false;
      /** JSON of `{ code, message, data? }`, parsed in the guest into a ToolError. */
      readonly errorJson: string;
      readonly fatal: boolean;
      readonly code: string;
      readonly message: string;
    };

export type HostToWorker = RunMessage | ReplyMessage;

/** Worker -> host. */
export type WorkerToHost =
  | { readonly type: 'ready' }
  /** The worker's spare instance is made and its prelude evaluated: its next run starts at once. */
  | { readonly type: 'warm' }
  | {
      readonly type: 'call';
      readonly runId: number;
      readonly callId: number;
      readonly namespace: string;
      readonly fn: string;
      readonly argsJson: string;
    }
  | {
      /** Console entries kept since the last `log` message of this run, in order (see GuestRun). */
      readonly type: 'log';
      readonly runId: number;
      readonly entries: readonly LogEntry[];
    }
  | {
      readonly type: 'done';
      readonly runId: number;
      readonly outcome: RunOutcome;
      /** The run ended with a host-level fault inside the worker: replace the worker to be safe. */
      readonly recycle: boolean;
    };
