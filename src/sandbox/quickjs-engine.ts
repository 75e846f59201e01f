// The QuickJS engine: a small warm pool of worker threads, each running one program at a time in
// a fresh QuickJS WebAssembly instance; runs beyond the pool queue in order. The main event loop
// never runs guest code. Options are resolved once here; every run's outcome is a value.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isCemcpError, isDangerousName } from '../common/index.js';
import type { Engine, GuestLibrary, HostBridge, RunOutcome, RunRequest } from './engine.js';
import { maxGuestStackFor } from './guest-sizing.js';
import { wasm, type WasmModule } from './wasm-api.js';
import { resolveWorkerEntry } from './worker-entry-path.js';
import { WorkerSlot, type SlotJob } from './worker-slot.js';

export interface QuickJsEngineOptions {
  /** Worker threads kept warm; runs beyond this many queue. Default 2. */
  readonly poolSize?: number;
  /** The compiled worker entry (worker-entry.js). Default: found next to this module, or under dist/. */
  readonly workerEntry?: string | URL;
  /** How long past a run's wallMs the host waits before it stops the worker itself. Default 1000. */
  readonly watchdogGraceMs?: number;
  /** Native stack of each worker thread; bounds the largest QuickJS stack a run may get. Default 64. */
  readonly workerStackMb?: number;
  /** V8 old-generation heap of each worker (host-side strings: logs, results, arguments). Default 256. */
  readonly workerHeapMb?: number;
  /** Memory limit that each worker's first spare instance is prepared for. Default 64 MiB. */
  readonly warmMemoryBytes?: number;
  /**
   * Largest JSON of one call's arguments that may leave the guest; a larger call throws a
   * RangeError in the guest, so no host memory is spent on it. Default 8 MiB.
   */
  readonly maxArgumentBytes?: number;
}

const DEFAULTS = {
  poolSize: 2,
  watchdogGraceMs: 1_000,
  workerStackMb: 64,
  workerHeapMb: 256,
  warmMemoryBytes: 64 * 2 ** 20,
  maxArgumentBytes: 8 * 2 ** 20,
} as const;

export function createQuickJsEngine(options: QuickJsEngineOptions = {}): Engine {
  return new QuickJsEngine(options);
}

let wasmModule: Promise<WasmModule> | undefined;

/** Compiled once per process and shared by every worker (a Module is cloneable across threads). */
export function compileQuickJsWasm(): Promise<WasmModule> {
  wasmModule ??= (async () => {
    const path = createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
    return wasm.compile(await readFile(path));
  })();
  return wasmModule;
}

class QuickJsEngine implements Engine {
  private readonly slots: WorkerSlot[] = [];
  private readonly queue: SlotJob[] = [];
  private readonly ready: Promise<void>;
  private startError: string | undefined;
  private closed = false;
  private runSeq = 0;

  constructor(options: QuickJsEngineOptions) {
    const poolSize = Math.max(1, Math.floor(options.poolSize ?? DEFAULTS.poolSize));
    const workerStackMb = options.workerStackMb ?? DEFAULTS.workerStackMb;
    const entry = options.workerEntry ? new URL(options.workerEntry, 'file:///') : resolveWorkerEntry(import.meta.url);
    if (entry.protocol === 'file:' && !existsSync(fileURLToPath(entry))) {
      this.startError = `the sandbox worker entry is missing: ${fileURLToPath(entry)} (build first: npx tsc -p tsconfig.json)`;
    }
    this.ready = compileQuickJsWasm().then(
      (module) => {
        if (this.closed || this.startError) return;
        for (let i = 0; i < poolSize; i++) {
          const slot = new WorkerSlot({
            entry,
            workerData: {
              wasmModule: module,
              maxGuestStackBytes: maxGuestStackFor(workerStackMb),
              maxArgumentBytes: options.maxArgumentBytes ?? DEFAULTS.maxArgumentBytes,
              warmMemoryBytes: options.warmMemoryBytes ?? DEFAULTS.warmMemoryBytes,
            },
            resourceLimits: { stackSizeMb: workerStackMb, maxOldGenerationSizeMb: options.workerHeapMb ?? DEFAULTS.workerHeapMb },
            watchdogGraceMs: options.watchdogGraceMs ?? DEFAULTS.watchdogGraceMs,
            onIdle: () => this.dispatch(),
            onStartFailure: (message) => this.onStartFailure(message),
          });
          this.slots.push(slot);
          slot.spawn();
        }
      },
      (error: unknown) => {
        this.startError = `could not compile the QuickJS WebAssembly module: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  }

  async run(request: RunRequest, bridge: HostBridge, signal?: AbortSignal): Promise<RunOutcome> {
    await this.ready;
    if (this.closed) return crashed('the sandbox engine is closed');
    if (this.startError) return crashed(this.startError);
    if (signal?.aborted) return cancelled(cancelMessage(signal));
    return new Promise<RunOutcome>((resolve) => {
      const runId = ++this.runSeq;
      const onAbort = () => {
        const queued = this.queue.findIndex((job) => job.runId === runId);
        if (queued !== -1) this.queue.splice(queued, 1)[0]?.settle(cancelled(cancelMessage(signal)));
        else this.slots.some((slot) => slot.cancel(runId, cancelMessage(signal)));
      };
      const settle = (outcome: RunOutcome) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push({ runId, request: { ...request, api: safeApi(request.api), ...(request.library ? { library: safeLibrary(request.library) } : {}) }, bridge, settle });
      // Slots whose worker failed to start get another try, now that there is work for them.
      for (const slot of this.slots) if (slot.empty) slot.spawn();
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.settle(crashed('the sandbox engine was closed'));
    await Promise.all(this.slots.map((slot) => slot.stop('the sandbox engine was closed')));
  }

  /** Queued runs go to idle workers, first to those whose next instance is already prepared. */
  private dispatch(): void {
    for (const slot of [...this.slots.filter((s) => s.warm), ...this.slots.filter((s) => !s.warm)]) {
      if (this.queue.length === 0) return;
      if (!slot.idle) continue;
      const job = this.queue.shift();
      if (job) slot.start(job);
    }
  }

  private onStartFailure(message: string): void {
    // With no worker alive or starting, queued runs would wait forever: end them now.
    if (this.slots.every((slot) => slot.empty)) {
      for (const job of this.queue.splice(0)) job.settle(crashed(message));
    }
  }
}

/** Drops namespace and function names that could reach a prototype (`__proto__`, ...). */
function safeApi(api: RunRequest['api']): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = Object.create(null) as Record<string, readonly string[]>;
  for (const [ns, fns] of Object.entries(api)) {
    if (isDangerousName(ns)) continue;
    out[ns] = fns.filter((fn) => !isDangerousName(fn));
  }
  return out;
}

/** The same for a library's function names. */
function safeLibrary(library: GuestLibrary): GuestLibrary {
  const functions = Object.create(null) as Record<string, string>;
  for (const [name, source] of Object.entries(library.functions)) if (!isDangerousName(name)) functions[name] = source;
  return { ...library, functions };
}

const CANCELLED_MESSAGE = 'the run was cancelled by the client';

/** The abort's reason when it is a SANDBOX_CANCELLED CemcpError (the gateway stopping says so), else a client's cancel. */
function cancelMessage(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return isCemcpError(reason) && reason.code === 'SANDBOX_CANCELLED' ? reason.message : CANCELLED_MESSAGE;
}

function cancelled(message: string): RunOutcome {
  return { ok: false, error: { code: 'SANDBOX_CANCELLED', message }, logs: [], logsTruncated: false, stats: { wallMs: 0, cpuMs: 0, hostCalls: 0 } };
}

function crashed(message: string): RunOutcome {
  return {
    ok: false,
    error: { code: 'SANDBOX_CRASHED', message },
    logs: [],
    logsTruncated: false,
    stats: { wallMs: 0, cpuMs: 0, hostCalls: 0 },
  };
}
