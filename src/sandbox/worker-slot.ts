// One place in the engine's pool: a sandbox worker thread, the run it is doing, the host-side
// watchdogs of that run (wall time; CPU time read from the worker's shared clock), and the relay of
// guest calls to the run's HostBridge. A worker that dies, overruns a watchdog or reports a
// host-level fault is replaced in place; only its own run fails. Imported by quickjs-engine.ts only.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { SandboxError } from '../common/index.js';
import type { BridgeReply, HostBridge, LogEntry, RunFailure, RunOutcome, RunRequest } from './engine.js';
import { SharedCpuClock } from './cpu-clock.js';
import { timerDelay } from './guest-sizing.js';
import type { HostToWorker, ReplyMessage, SandboxWorkerData, WorkerToHost } from './worker-protocol.js';

export interface SlotJob {
  readonly runId: number;
  readonly request: RunRequest;
  readonly bridge: HostBridge;
  readonly settle: (outcome: RunOutcome) => void;
}

export interface WorkerSlotOptions {
  readonly entry: URL;
  /** Everything but the CPU clock, which each worker gets its own of. */
  readonly workerData: Omit<SandboxWorkerData, 'cpuClock'>;
  readonly resourceLimits: ResourceLimits;
  readonly watchdogGraceMs: number;
  /** The slot can take a job (its worker just became ready, or finished a run). */
  readonly onIdle: () => void;
  /** The worker died before it was ever ready; the slot stays empty until `spawn` is called again. */
  readonly onStartFailure: (message: string) => void;
}

interface Current {
  readonly job: SlotJob;
  readonly startedAt: number;
  readonly watchdog: NodeJS.Timeout;
  readonly cpuWatch: NodeJS.Timeout;
  hostCalls: number;
}

/** How often the host looks at a busy worker's CPU clock. */
const CPU_WATCH_INTERVAL_MS = 100;

export class WorkerSlot {
  private worker: Worker | undefined;
  private cpuClock = new SharedCpuClock();
  private ready = false;
  private spareReady = false;
  private current: Current | undefined;

  constructor(private readonly options: WorkerSlotOptions) {}

  get idle(): boolean {
    return this.ready && this.current === undefined;
  }

  /** Idle, and its worker has the next run's instance prepared (a run here starts without waiting). */
  get warm(): boolean {
    return this.idle && this.spareReady;
  }

  /** No worker, and none starting: the last one failed to start. */
  get empty(): boolean {
    return this.worker === undefined;
  }

  spawn(): void {
    if (this.worker) return;
    this.cpuClock = new SharedCpuClock();
    const worker = new Worker(this.options.entry, {
      workerData: { ...this.options.workerData, cpuClock: this.cpuClock.buffer } satisfies SandboxWorkerData,
      resourceLimits: this.options.resourceLimits,
      // The worker gets no environment (no secrets), and its stdout/stderr never reach ours:
      // our stdout may be the MCP stdio channel.
      env: {},
      // Nor the gateway's Node flags: a preload (`--import`, e.g. a tracing SDK) or an inspector
      // flag has no business inside a sandbox thread.
      execArgv: [],
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    this.worker = worker;
    this.ready = false;
    this.spareReady = false;
    worker.on('message', (message: WorkerToHost) => this.onMessage(worker, message));
    worker.on('error', (error) => this.onDeath(worker, `the sandbox worker failed: ${error.message}`));
    worker.on('exit', (code) => this.onDeath(worker, `the sandbox worker exited (code ${code})`));
  }

  start(job: SlotJob): void {
    const worker = this.worker;
    if (!worker || !this.idle) throw new SandboxError('SANDBOX_CRASHED', 'WorkerSlot.start called on a busy or empty slot');
    const watchdog = setTimeout(() => this.onWatchdog(worker), timerDelay(job.request.limits.wallMs + this.options.watchdogGraceMs));
    this.cpuClock.leave(0); // the worker is idle: the last run's figures must not count for this one
    const cpuWatch = setInterval(() => this.onCpuWatch(worker), CPU_WATCH_INTERVAL_MS);
    this.current = { job, startedAt: performance.now(), watchdog, cpuWatch, hostCalls: 0 };
    this.spareReady = false; // the run takes the spare; the worker makes the next one after it
    worker.ref();
    const { code, filename, api, forms, library, limits } = job.request;
    const streamLogs = typeof job.bridge.log === 'function';
    this.post(worker, { type: 'run', runId: job.runId, code, filename, api, ...(forms ? { forms } : {}), ...(library ? { library } : {}), limits, ...(streamLogs ? { streamLogs } : {}) });
  }

  /** Stops the worker; its run (if any) ends with SANDBOX_CRASHED. */
  async stop(message: string): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = false;
    this.settle({ code: 'SANDBOX_CRASHED', message });
    if (worker) await worker.terminate();
  }

  private onMessage(worker: Worker, message: WorkerToHost): void {
    if (worker !== this.worker) return;
    if (message.type === 'ready') {
      this.ready = true;
      worker.unref();
      this.options.onIdle();
    } else if (message.type === 'warm') {
      // Only news while no run is here (a run's own start already took the spare it announced).
      if (!this.current) this.spareReady = true;
    } else if (message.type === 'call') {
      const current = this.current;
      if (!current || current.job.runId !== message.runId) return;
      current.hostCalls += 1;
      void relay(current.job.bridge, message.namespace, message.fn, message.argsJson).then((reply) => {
        // The run may have ended, or the worker been replaced, while the host worked.
        if (this.worker === worker && this.current?.job.runId === message.runId) {
          this.post(worker, { ...reply, runId: message.runId, callId: message.callId });
        }
      });
    } else if (message.type === 'log') {
      const current = this.current;
      if (current?.job.runId === message.runId) forwardLogs(current.job.bridge, message.entries);
    } else if (message.type === 'done') {
      if (!this.current || this.current.job.runId !== message.runId) return;
      this.finish(message.outcome);
      if (message.recycle) this.replace(worker);
      else {
        worker.unref();
        this.options.onIdle();
      }
    }
  }

  private onDeath(worker: Worker, message: string): void {
    if (worker !== this.worker) return;
    const wasReady = this.ready;
    this.worker = undefined;
    this.ready = false;
    this.settle({ code: 'SANDBOX_CRASHED', message });
    if (wasReady) this.spawn();
    else this.options.onStartFailure(message);
  }

  /** Ends run `runId` if this slot is doing it: its worker is stopped and replaced. True if it was here. */
  cancel(runId: number, message: string): boolean {
    const worker = this.worker;
    if (!worker || this.current?.job.runId !== runId) return false;
    this.settle({ code: 'SANDBOX_CANCELLED', message });
    this.replace(worker);
    return true;
  }

  private onWatchdog(worker: Worker): void {
    if (worker !== this.worker || !this.current) return;
    const { wallMs } = this.current.job.request.limits;
    this.settle({ code: 'SANDBOX_TIMEOUT', limit: 'wallMs', message: `wall time limit exceeded: the run took longer than ${wallMs} ms and its worker was stopped` });
    this.replace(worker);
  }

  // QuickJS checks for interrupts between operations; one long native call (a huge join, an
  // O(n^2) JSON cycle check) never reaches that check. The worker's shared clock still shows it.
  private onCpuWatch(worker: Worker): void {
    if (worker !== this.worker || !this.current) return;
    const { cpuMs } = this.current.job.request.limits;
    if (this.cpuClock.usedMs() <= cpuMs + this.options.watchdogGraceMs) return;
    this.settle({ code: 'SANDBOX_CPU', limit: 'cpuMs', message: `CPU time limit exceeded: the program computed for more than ${cpuMs} ms and its worker was stopped` });
    this.replace(worker);
  }

  private replace(worker: Worker): void {
    if (worker === this.worker) {
      this.worker = undefined;
      this.ready = false;
    }
    void worker.terminate();
    this.spawn();
  }

  /** Ends the current run (if any) from the host side: the worker's logs are lost with it. */
  private settle(failure: RunFailure): void {
    const current = this.current;
    if (!current) return;
    const stats = { wallMs: performance.now() - current.startedAt, cpuMs: 0, hostCalls: current.hostCalls };
    this.finish({ ok: false, error: failure, logs: [], logsTruncated: false, stats });
  }

  private finish(outcome: RunOutcome): void {
    const current = this.current;
    if (!current) return;
    clearTimeout(current.watchdog);
    clearInterval(current.cpuWatch);
    this.current = undefined;
    current.job.settle(outcome);
  }

  private post(worker: Worker, message: HostToWorker): void {
    try {
      worker.postMessage(message);
    } catch (error) {
      // Only our own message shapes cross, so this is a fault of the worker channel.
      this.onDeath(worker, `could not reach the sandbox worker: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Hands streamed console entries to the bridge; its faults are its own. */
export function forwardLogs(bridge: HostBridge, entries: readonly LogEntry[]): void {
  for (const entry of entries) {
    try {
      bridge.log?.(entry);
    } catch {
      // the live view is best effort; the outcome still carries every entry
    }
  }
}

type EncodedReply = ReplyMessage extends infer R ? (R extends ReplyMessage ? Omit<R, 'runId' | 'callId'> : never) : never;

/** Calls the bridge and encodes its reply as the guest will read it. Never rejects. */
export async function relay(bridge: HostBridge, namespace: string, fn: string, argsJson: string): Promise<EncodedReply> {
  let reply: BridgeReply;
  try {
    reply = await bridge.call(namespace, fn, argsJson);
  } catch (error) {
    const message = `the host failed to answer ${namespace}.${fn}: ${error instanceof Error ? error.message : String(error)}`;
    return { type: 'reply', ok: false, fatal: true, code: 'SANDBOX_CRASHED', message, errorJson: '{}' };
  }
  if (reply.ok) {
    if (typeof reply.json === 'string') return { type: 'reply', ok: true, json: reply.json, ...(reply.orText === true ? { orText: true } : {}) };
    const message = `the host answered ${namespace}.${fn} without JSON`;
    return { type: 'reply', ok: false, fatal: true, code: 'SANDBOX_CRASHED', message, errorJson: '{}' };
  }
  const { code, message, data } = reply.error;
  let errorJson: string;
  try {
    errorJson = JSON.stringify(data === undefined ? { code, message } : { code, message, data });
  } catch {
    errorJson = JSON.stringify({ code, message }); // data that JSON cannot carry is dropped
  }
  return { type: 'reply', ok: false, fatal: reply.fatal === true, code: String(code), message: String(message), errorJson };
}
