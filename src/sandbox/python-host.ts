// Entry point of a Python sandbox process (dist/sandbox/python-host.js), started by the gateway
// with no environment, its stdio pipes and the data channel (fd 3). Its main thread is the trusted
// part: it starts one worker thread, hands it each run, and enforces the CPU and wall limits
// (interrupt, then exit after a grace). The worker talks to the gateway itself over the data
// channel, so a host call crosses no thread here. Whenever the worker may not serve another run,
// the whole process exits and the gateway starts another: its data channel is the worker's.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { RunFailure, RunOutcome } from './engine.js';
import { cpuFailure, stackFailure, wallFailure } from './guest-failure.js';
import { RemovedClosures } from './python-closures.js';
import { DATA_FD, SNAPSHOT_HEADER_BYTES, type GatewayToHost, type HostSettings, type HostToGateway, type PythonWorkerData, type RunMessage, type WorkerToHostProcess } from './python-protocol.js';
import { wasm, type WasmModule } from './wasm-api.js';

const settings = JSON.parse(process.argv[2] ?? '{}') as HostSettings;
const closures = new RemovedClosures(settings.removedClosures);
const send = (message: HostToGateway): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};
const WORKER_ENTRY = new URL('./python-worker.js', import.meta.url);
/** The worker sees no environment (this process's is empty too). */
const WORKER_ENV = closures.keeps('empty-env') ? {} : process.env;
/**
 * Node 20 applies the permission model to a worker thread only through its own execArgv (a worker
 * started with `execArgv: []` may read any file and spawn processes). The worker gets this
 * process's read allowances, and not --allow-worker: code in it can start no thread of its own.
 */
const WORKER_ARGV = process.execArgv.filter((arg) => arg === '--experimental-permission' || arg.startsWith('--allow-fs-read='));
const WATCH_MS = 20;
const SIGINT = 2;

function startWorker(workerData: PythonWorkerData, heapMb?: number): Worker {
  const worker = new Worker(WORKER_ENTRY, {
    workerData, env: WORKER_ENV, execArgv: WORKER_ARGV, stdout: true, stderr: true,
    resourceLimits: { ...(heapMb ? { maxOldGenerationSizeMb: heapMb } : {}), stackSizeMb: settings.workerStackMb },
  });
  worker.stdout.resume();
  worker.stderr.resume();
  return worker;
}

const workerDataFor = (mode: HostSettings['mode'], wasmModule: WasmModule, interrupt: SharedArrayBuffer, snapshot?: SharedArrayBuffer): PythonWorkerData => ({
  mode, indexURL: settings.indexURL, wasmModule, interrupt, maxArgumentBytes: settings.maxArgumentBytes, removedClosures: closures.list,
  ...(snapshot ? { snapshot } : {}),
});

/** Mode `snapshot`: the worker makes it; it goes to the gateway over the data channel. */
async function makeSnapshot(wasmModule: WasmModule): Promise<void> {
  const bytes = await new Promise<Uint8Array>((resolve, reject) => {
    const worker = startWorker(workerDataFor('snapshot', wasmModule, new SharedArrayBuffer(4)));
    worker.on('message', (message: WorkerToHostProcess) => {
      if (message.type === 'snapshot') resolve(message.bytes);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the snapshot worker exited (code ${code})`)));
  });
  const channel = new Socket({ fd: DATA_FD, readable: false, writable: true });
  await new Promise<void>((resolve, reject) => {
    channel.once('error', reject);
    channel.end(bytes, resolve);
  });
  send({ type: 'snapshot', bytes: bytes.byteLength });
  process.exit(0);
}

interface Current {
  readonly run: RunMessage;
  /** Set when the worker says the program begins (restoring its interpreter is not the program's time). */
  startedAt: number;
  eluStart: ReturnType<Worker['performance']['eventLoopUtilization']> | undefined;
  /** Why this process interrupted the program, and when it exits if the program goes on. */
  stopping?: { readonly failure: RunFailure; readonly exitAt: number };
}

/** Mode `run`: one worker, one run at a time. */
class RunHost {
  private readonly interrupt = new SharedArrayBuffer(4);
  private readonly worker: Worker;
  private current: Current | undefined;

  constructor(wasmModule: WasmModule, snapshot: SharedArrayBuffer) {
    const worker = startWorker(workerDataFor('run', wasmModule, this.interrupt, snapshot), settings.workerHeapMb);
    this.worker = worker;
    worker.on('message', (message: WorkerToHostProcess) => this.onMessage(message));
    worker.on('error', (error) => this.onDeath(`the Python worker failed: ${error.message}`, isStackOverflow(error)));
    worker.on('exit', (code) => this.onDeath(`the Python worker exited (code ${code})`));
    setInterval(() => this.watch(performance.now()), WATCH_MS).unref();
  }

  start(run: RunMessage): void {
    if (this.current) {
      // The gateway sends a run only to an idle process; a second one is its mistake, refused.
      send({ type: 'done', runId: run.runId, outcome: failed({ code: 'SANDBOX_CRASHED', message: 'the Python sandbox process was busy' }, performance.now()), dataEnd: false, last: false });
      return;
    }
    this.current = { run, startedAt: performance.now(), eluStart: undefined };
    Atomics.store(new Int32Array(this.interrupt), 0, 0);
    this.worker.postMessage(run);
  }

  /** Checks the run's clocks: past a limit, interrupt; past the grace, end the run and exit. */
  private watch(now: number): void {
    const current = this.current;
    if (!current?.eluStart) return;
    if (current.stopping) {
      // Checked again after this turn's messages: on a starved machine the worker's outcome may
      // already wait in the queue behind this timer, and then the program did stop in time.
      const { failure, exitAt } = current.stopping;
      if (now >= exitAt) setImmediate(() => this.current === current && this.exit(current, failure, `${failure.message}, and its worker was stopped`));
      // pyodide takes the signal out of the buffer when it reads it, and now and then a read raises
      // nothing (seen in about one run in five that follows an idle pause): it is asked again each tick.
      else if (closures.keeps('interrupt')) Atomics.store(new Int32Array(this.interrupt), 0, SIGINT);
      return;
    }
    const { cpuMs, wallMs } = current.run.limits;
    let failure: RunFailure | undefined;
    if (now - current.startedAt > wallMs) failure = { ...wallFailure(current.run.limits) };
    else if (this.worker.performance.eventLoopUtilization(current.eluStart).active > cpuMs) failure = cpuFailure(current.run.limits);
    if (!failure) return;
    current.stopping = { failure, exitAt: closures.keeps('terminate') ? now + settings.graceMs : Number.POSITIVE_INFINITY };
    if (closures.keeps('interrupt')) Atomics.store(new Int32Array(this.interrupt), 0, SIGINT);
  }

  private onMessage(message: WorkerToHostProcess): void {
    const current = this.current;
    if (message.type === 'ready') send({ type: 'ready' });
    else if (message.type === 'warm') {
      if (!current) send({ type: 'warm' });
    } else if (message.type === 'begin') {
      if (current?.run.runId === message.runId) {
        current.startedAt = performance.now();
        current.eluStart = this.worker.performance.eventLoopUtilization();
      }
    } else if (message.type === 'done') {
      if (current?.run.runId !== message.runId) return;
      const cpuMs = current.eluStart ? this.worker.performance.eventLoopUtilization(current.eluStart).active : 0;
      let outcome: RunOutcome = { ...message.outcome, stats: { ...message.outcome.stats, cpuMs } };
      // A run this process began to stop for a limit failed for that limit, however the interrupt
      // surfaced (a KeyboardInterrupt in the program, or one that landed in the bridge's own code).
      if (current.stopping && !outcome.ok) outcome = { ...outcome, error: current.stopping.failure };
      this.current = undefined;
      const last = message.recycle || settings.processPerRun;
      send({ type: 'done', runId: message.runId, outcome, dataEnd: true, last });
      if (last) process.exit(0);
    }
  }

  private onDeath(message: string, stack = false): void {
    const current = this.current;
    // A structure deep enough to overflow the worker's native stack (json.dumps of 100k nested lists) kills only this process.
    if (current) this.exit(current, current.stopping?.failure ?? (stack ? stackFailure(current.run.limits.stackBytes) : { code: 'SANDBOX_CRASHED', message }));
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }

  /** Ends the run from here; the worker goes with the process. */
  private exit(current: Current, failure: RunFailure, message = failure.message): never {
    this.current = undefined;
    send({ type: 'done', runId: current.run.runId, outcome: failed({ ...failure, message }, current.startedAt), dataEnd: false, last: true });
    process.exit(0);
  }
}

function isStackOverflow(error: Error): boolean {
  return /call stack|stack overflow|too much recursion/i.test(error.message);
}

function failed(error: RunFailure, startedAt: number): RunOutcome {
  return { ok: false, error, logs: [], logsTruncated: false, stats: { wallMs: performance.now() - startedAt, cpuMs: 0, hostCalls: 0 } };
}

/** The snapshot, read straight into memory the worker shares (no copy of it stays with this thread). */
function readSnapshot(file: string): SharedArrayBuffer {
  const fd = openSync(file, 'r');
  try {
    const shared = new SharedArrayBuffer(fstatSync(fd).size - SNAPSHOT_HEADER_BYTES);
    const view = new Uint8Array(shared);
    for (let at = 0; at < view.length;) {
      const read = readSync(fd, view, at, view.length - at, SNAPSHOT_HEADER_BYTES + at);
      if (read === 0) throw new Error(`the interpreter snapshot ${file} ended early`);
      at += read;
    }
    return shared;
  } finally {
    closeSync(fd);
  }
}

let host: RunHost | undefined;

async function main(): Promise<void> {
  const wasmModule = await wasm.compile(readFileSync(`${settings.indexURL}pyodide.asm.wasm`));
  if (settings.mode === 'snapshot') return makeSnapshot(wasmModule);
  if (!settings.snapshotPath) throw new Error('no interpreter snapshot was given');
  host = new RunHost(wasmModule, readSnapshot(settings.snapshotPath));
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  let message: GatewayToHost;
  try {
    message = JSON.parse(line) as GatewayToHost;
  } catch {
    return;
  }
  if (message.type === 'run') host?.start(message);
});
// The gateway went away: nothing here may outlive it.
lines.on('close', () => process.exit(0));
main().catch((error: unknown) => {
  send({ type: 'fault', message: `the Python sandbox could not start: ${error instanceof Error ? error.message : String(error)}` });
  process.exit(1);
});
