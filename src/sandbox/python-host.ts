// Entry point of the Python sandbox host process (dist/sandbox/python-host.js), started by the
// gateway with no environment and only its stdio pipes. Makes the interpreter snapshot in a worker,
// then keeps a pool of run workers; relays runs, calls and replies (one JSON object a line on
// stdin/stdout) and enforces the CPU and wall limits: interrupt, then stop the worker after a grace.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { RunFailure, RunOutcome } from './engine.js';
import { cpuFailure, stackFailure, wallFailure } from './guest-failure.js';
import { RemovedClosures } from './python-closures.js';
import { wasm, type WasmModule } from './wasm-api.js';
import type { GatewayToHost, HostToGateway, PythonWorkerData, RunMessage, WorkerToHostProcess } from './python-protocol.js';

interface HostSettings {
  readonly indexURL: string;
  readonly poolSize: number;
  readonly graceMs: number;
  readonly maxArgumentBytes: number;
  readonly workerHeapMb: number;
  readonly workerStackMb: number;
  /** Test only (python-closures.ts): never sent by the gateway. */
  readonly removedClosures?: readonly string[];
}

const settings = JSON.parse(process.argv[2] ?? '{}') as HostSettings;
const closures = new RemovedClosures(settings.removedClosures);
const send = (message: HostToGateway): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};
const WORKER_ENTRY = new URL('./python-worker.js', import.meta.url);
/** Workers see no environment (this process's is empty too). */
const WORKER_ENV = closures.keeps('empty-env') ? {} : process.env;
/**
 * Node 20 applies the permission model to a worker thread only through its own execArgv (a worker
 * started with `execArgv: []` may read any file and spawn processes). Each worker gets this
 * process's read allowances, and not --allow-worker: code in it can start no thread of its own.
 */
const WORKER_ARGV = process.execArgv.filter((arg) => arg === '--experimental-permission' || arg.startsWith('--allow-fs-read='));
const WATCH_MS = 20;
const SIGINT = 2;

interface Current {
  readonly run: RunMessage;
  /** Set when the worker says the program begins (restoring its interpreter is not the program's time). */
  startedAt: number;
  eluStart: ReturnType<Worker['performance']['eventLoopUtilization']> | undefined;
  /** Why the host interrupted the program, and when it stops the worker if the program goes on. */
  stopping?: { readonly failure: RunFailure; readonly killAt: number };
}

class Slot {
  worker: Worker | undefined;
  ready = false;
  warm = false;
  /** When the worker began restoring the interpreter it will run next (the earliest is the nearest to ready). */
  restoringSince = 0;
  current: Current | undefined;
  readonly interrupt = new SharedArrayBuffer(4);

  constructor(private readonly pool: Pool) {}

  spawn(): void {
    const workerData: PythonWorkerData = {
      mode: 'run', indexURL: settings.indexURL, wasmModule: this.pool.wasmModule, snapshot: this.pool.snapshot,
      interrupt: this.interrupt, maxArgumentBytes: settings.maxArgumentBytes, removedClosures: closures.list,
    };
    const worker = new Worker(WORKER_ENTRY, {
      workerData, env: WORKER_ENV, execArgv: WORKER_ARGV, stdout: true, stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: settings.workerHeapMb, stackSizeMb: settings.workerStackMb },
    });
    worker.stdout.resume();
    worker.stderr.resume();
    this.worker = worker;
    this.ready = false;
    this.warm = false;
    this.restoringSince = performance.now();
    worker.on('message', (message: WorkerToHostProcess) => this.onMessage(worker, message));
    worker.on('error', (error) => this.onDeath(worker, `the Python worker failed: ${error.message}`, isStackOverflow(error)));
    worker.on('exit', (code) => this.onDeath(worker, `the Python worker exited (code ${code})`));
  }

  get idle(): boolean {
    return this.ready && !this.current;
  }

  start(run: RunMessage): void {
    const worker = this.worker!;
    this.current = { run, startedAt: performance.now(), eluStart: undefined };
    this.warm = false;
    Atomics.store(new Int32Array(this.interrupt), 0, 0);
    send({ type: 'started', runId: run.runId });
    worker.postMessage(run);
  }

  forward(message: GatewayToHost): void {
    if (message.type === 'reply' && this.current?.run.runId === message.runId) this.worker?.postMessage(message);
  }

  /** Checks the run's clocks: past a limit, interrupt; past the grace, stop the worker. */
  watch(now: number): void {
    const current = this.current;
    const worker = this.worker;
    if (!current || !worker || !current.eluStart) return;
    if (current.stopping) {
      if (now >= current.stopping.killAt) this.finishFromHost(current.stopping.failure);
      return;
    }
    const { cpuMs, wallMs } = current.run.limits;
    let failure: RunFailure | undefined;
    if (now - current.startedAt > wallMs) failure = { ...wallFailure(current.run.limits) };
    else if (worker.performance.eventLoopUtilization(current.eluStart).active > cpuMs) failure = cpuFailure(current.run.limits);
    if (!failure) return;
    current.stopping = { failure, killAt: closures.keeps('terminate') ? now + settings.graceMs : Number.POSITIVE_INFINITY };
    if (closures.keeps('interrupt')) Atomics.store(new Int32Array(this.interrupt), 0, SIGINT);
  }

  cancel(runId: number): void {
    if (this.current?.run.runId === runId) this.finishFromHost({ code: 'SANDBOX_CANCELLED', message: 'the run was cancelled by the client' }, false);
  }

  /** Ends the run from here (the worker is stopped and replaced). */
  private finishFromHost(failure: RunFailure, report = true): void {
    const current = this.current;
    const message = failure.code === 'SANDBOX_CANCELLED' ? failure.message : `${failure.message}, and its worker was stopped`;
    this.current = undefined;
    if (current && report) send({ type: 'done', runId: current.run.runId, outcome: failed({ ...failure, message }, current.startedAt) });
    this.replace();
  }

  private replace(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = false;
    if (worker) void worker.terminate();
    this.spawn();
  }

  private onMessage(worker: Worker, message: WorkerToHostProcess): void {
    if (worker !== this.worker) return;
    if (message.type === 'ready') {
      this.ready = true;
      this.pool.dispatch();
    } else if (message.type === 'warm') {
      if (!this.current) this.warm = true;
    } else if (message.type === 'begin') {
      if (this.current?.run.runId === message.runId) {
        this.current.startedAt = performance.now();
        this.current.eluStart = worker.performance.eventLoopUtilization();
      }
    } else if (message.type === 'call' || message.type === 'log') {
      if (this.current?.run.runId === message.runId) send(message);
    } else if (message.type === 'done') {
      const current = this.current;
      if (!current || current.run.runId !== message.runId) return;
      const cpuMs = current.eluStart ? worker.performance.eventLoopUtilization(current.eluStart).active : 0;
      let outcome: RunOutcome = { ...message.outcome, stats: { ...message.outcome.stats, cpuMs } };
      // A run this process began to stop for a limit failed for that limit, however the interrupt
      // surfaced (a KeyboardInterrupt in the program, or one that landed in the bridge's own code).
      if (current.stopping && !outcome.ok) {
        outcome = { ...outcome, error: current.stopping.failure };
      }
      this.current = undefined;
      send({ type: 'done', runId: message.runId, outcome });
      if (message.recycle) this.replace();
      else {
        this.restoringSince = performance.now(); // the worker restores its next interpreter now
        this.pool.dispatch();
      }
    }
  }

  private onDeath(worker: Worker, message: string, stack = false): void {
    if (worker !== this.worker) return;
    const current = this.current;
    this.current = undefined;
    this.worker = undefined;
    this.ready = false;
    if (current) {
      // A structure deep enough to overflow the worker's native stack (json.dumps of 100k nested lists) kills only that worker.
      const failure: RunFailure = current.stopping?.failure ?? (stack ? stackFailure(current.run.limits.stackBytes) : { code: 'SANDBOX_CRASHED', message });
      send({ type: 'done', runId: current.run.runId, outcome: failed(failure, current.startedAt) });
    }
    this.spawn();
  }
}

function isStackOverflow(error: Error): boolean {
  return /call stack|stack overflow|too much recursion/i.test(error.message);
}

function failed(error: RunFailure, startedAt: number): RunOutcome {
  return { ok: false, error, logs: [], logsTruncated: false, stats: { wallMs: performance.now() - startedAt, cpuMs: 0, hostCalls: 0 } };
}

class Pool {
  readonly slots: Slot[] = [];
  readonly queue: RunMessage[] = [];
  wasmModule!: WasmModule;
  snapshot!: SharedArrayBuffer;

  async start(): Promise<void> {
    this.wasmModule = await wasm.compile(readFileSync(`${settings.indexURL}pyodide.asm.wasm`));
    const bytes = await snapshotInWorker(this.wasmModule);
    this.snapshot = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(this.snapshot).set(bytes);
    for (let i = 0; i < settings.poolSize; i++) {
      const slot = new Slot(this);
      this.slots.push(slot);
      slot.spawn();
    }
    setInterval(() => {
      const now = performance.now();
      for (const slot of this.slots) slot.watch(now);
    }, WATCH_MS).unref();
    send({ type: 'ready' });
  }

  onMessage(message: GatewayToHost): void {
    if (message.type === 'run') {
      this.queue.push(message);
      this.dispatch();
    } else if (message.type === 'reply') {
      for (const slot of this.slots) slot.forward(message);
    } else if (message.type === 'cancel') {
      const queued = this.queue.findIndex((run) => run.runId === message.runId);
      if (queued !== -1) this.queue.splice(queued, 1);
      else for (const slot of this.slots) slot.cancel(message.runId);
    }
  }

  /**
   * Queued runs go to idle workers: first to those with an interpreter already restored, then to the
   * one that began restoring earliest (back-to-back runs would otherwise keep waiting on the first).
   */
  dispatch(): void {
    const restoring = this.slots.filter((s) => !s.warm).sort((a, b) => a.restoringSince - b.restoringSince);
    for (const slot of [...this.slots.filter((s) => s.warm), ...restoring]) {
      if (this.queue.length === 0) return;
      if (!slot.idle) continue;
      const run = this.queue.shift();
      if (run) slot.start(run);
    }
  }
}

function snapshotInWorker(wasmModule: WasmModule): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const workerData: PythonWorkerData = { mode: 'snapshot', indexURL: settings.indexURL, wasmModule, interrupt: new SharedArrayBuffer(4), maxArgumentBytes: 0, removedClosures: closures.list };
    const worker = new Worker(WORKER_ENTRY, { workerData, env: WORKER_ENV, execArgv: WORKER_ARGV, stdout: true, stderr: true, resourceLimits: { stackSizeMb: settings.workerStackMb } });
    worker.stdout.resume();
    worker.stderr.resume();
    worker.on('message', (message: WorkerToHostProcess) => {
      if (message.type === 'snapshot') {
        resolve(message.bytes);
        void worker.terminate();
      }
    });
    worker.on('error', (error) => reject(error));
    worker.on('exit', (code) => reject(new Error(`the snapshot worker exited (code ${code})`)));
  });
}

const pool = new Pool();
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  let message: GatewayToHost;
  try {
    message = JSON.parse(line) as GatewayToHost;
  } catch {
    return;
  }
  pool.onMessage(message);
});
// The gateway went away: nothing here may outlive it.
lines.on('close', () => process.exit(0));
pool.start().catch((error: unknown) => {
  send({ type: 'fault', message: `the Python sandbox could not start: ${error instanceof Error ? error.message : String(error)}` });
  process.exit(1);
});
