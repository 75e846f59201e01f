// The Python engine: runs programs in Python sandbox processes (python-host.ts), never in the
// gateway's. Each process has one worker thread and serves one run at a time; the engine keeps
// `poolSize` of them, queues runs, and sends each to an idle one, those with an interpreter already
// restored first. The snapshot every process restores from is made once (python-snapshot-file.ts).
// A process that crashes ends its run with SANDBOX_CRASHED and another is started.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine, HostBridge, RunOutcome, RunRequest } from './engine.js';
import { RemovedClosures, SNAPSHOT_CLOSURES, type PythonClosure } from './python-closures.js';
import type { PythonLaunch } from './python-launch.js';
import { crashedOutcome, failedOutcome, SandboxProcess, type ProcessRun } from './python-process.js';
import type { HostSettings, RunMessage } from './python-protocol.js';
import { defaultSnapshotDir, SnapshotFile, snapshotKey } from './python-snapshot-file.js';

export interface PythonEngineOptions {
  /** Sandbox processes, each with one worker and a restored interpreter waiting. Default 2. */
  readonly poolSize?: number;
  /**
   * A new sandbox process for every run, so that nothing a run left in its worker's JavaScript realm
   * (reached only through a hole in every layer) meets a later run. Costs a process start and a
   * restore per run: back-to-back runs wait about a second each. Default false: a process serves run
   * after run, each in a fresh interpreter.
   */
  readonly processPerRun?: boolean;
  /** How long past a CPU or wall limit a program that ignores the interrupt may run before its process is stopped. Default 500. */
  readonly graceMs?: number;
  /** Largest JSON of one call's arguments. Default 8 MiB. */
  readonly maxArgumentBytes?: number;
  /** V8 heap of each worker thread (host-side strings of the interpreter). Default 512. */
  readonly workerHeapMb?: number;
  /** Native stack of each worker thread. Default 16. */
  readonly workerStackMb?: number;
  /** The compiled host entry (python-host.js). Default: next to this module, or under dist/. */
  readonly hostEntry?: string;
  /** Where interpreter snapshots are cached (a folder of this user's alone). Default: `cemcp-<uid>` in the temp folder. */
  readonly snapshotDir?: string;
  /**
   * Test only (test/security/python-closures*.test.ts): closures of the sandbox to leave out, to show
   * that the escape battery catches each one missing. Never set by the gateway (cli/python-wiring.ts
   * passes only poolSize, processPerRun and maxArgumentBytes; a test asserts no other file names this option).
   */
  readonly removeClosuresForTest?: readonly PythonClosure[];
}

const DEFAULTS = { poolSize: 2, graceMs: 500, maxArgumentBytes: 8 * 2 ** 20, workerHeapMb: 512, workerStackMb: 16 } as const;
/** Past the wall limit and the grace, the gateway itself gives up on the process. */
const BACKSTOP_MS = 5_000;

export function createPythonEngine(options: PythonEngineOptions = {}): Engine {
  return new PythonEngine(options);
}

interface Queued extends ProcessRun {
  backstop?: NodeJS.Timeout;
}

class PythonEngine implements Engine {
  private readonly processes = new Set<SandboxProcess>();
  private readonly queue: Queued[] = [];
  private readonly poolSize: number;
  private readonly settings: HostSettings;
  private readonly snapshotSettings: HostSettings | undefined;
  private readonly launch: PythonLaunch;
  private readonly snapshotFile: SnapshotFile | undefined;
  private snapshot: Promise<string> | undefined;
  private snapshotPath: string | undefined;
  private runSeq = 0;
  /** Processes that exited before they were ready, since one last was. */
  private startFailures = 0;
  private closed = false;
  /** Stops a snapshot process still making its snapshot when the engine closes. */
  private readonly closing = new AbortController();
  private readonly startError: string | undefined;

  constructor(options: PythonEngineOptions) {
    const hostEntry = options.hostEntry ?? defaultHostEntry();
    const closures = new RemovedClosures(options.removeClosuresForTest);
    const pyodideDir = path.dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
    this.poolSize = Math.max(1, Math.floor(options.poolSize ?? DEFAULTS.poolSize));
    this.settings = {
      mode: 'run',
      indexURL: `${pyodideDir}${path.sep}`,
      graceMs: options.graceMs ?? DEFAULTS.graceMs,
      processPerRun: options.processPerRun === true,
      maxArgumentBytes: options.maxArgumentBytes ?? DEFAULTS.maxArgumentBytes,
      workerHeapMb: options.workerHeapMb ?? DEFAULTS.workerHeapMb,
      workerStackMb: options.workerStackMb ?? DEFAULTS.workerStackMb,
      ...(closures.list.length > 0 ? { removedClosures: closures.list } : {}),
    };
    const buildDir = path.dirname(hostEntry);
    this.launch = { hostEntry, readAllowed: [path.dirname(buildDir), pyodideDir], closures };
    if (!existsSync(hostEntry)) {
      this.startError = `the Python sandbox entry is missing: ${hostEntry} (build first: npx tsc -p tsconfig.json)`;
      return;
    }
    // The snapshot is made with only the closures that change it removed, so that it is what its key says.
    const keyed = closures.list.filter((name) => (SNAPSHOT_CLOSURES as readonly string[]).includes(name));
    this.snapshotSettings = { ...this.settings, removedClosures: keyed };
    this.snapshotFile = new SnapshotFile(options.snapshotDir ?? defaultSnapshotDir(), snapshotKey({ pyodideDir, buildDir, closures: keyed }));
  }

  async run(request: RunRequest, bridge: HostBridge, signal?: AbortSignal): Promise<RunOutcome> {
    if (this.closed) return crashedOutcome('the Python engine is closed');
    if (this.startError) return crashedOutcome(this.startError);
    if (signal?.aborted) return cancelled();
    return new Promise<RunOutcome>((resolve) => {
      const message: RunMessage = {
        type: 'run', runId: ++this.runSeq, code: request.code, filename: request.filename, api: request.api,
        ...(request.forms ? { forms: request.forms } : {}), limits: request.limits, ...(typeof bridge.log === 'function' ? { streamLogs: true } : {}),
      };
      const onAbort = () => this.cancel(queued);
      const queued: Queued = {
        message, bridge,
        settle: (outcome) => {
          clearTimeout(queued.backstop);
          signal?.removeEventListener('abort', onAbort);
          resolve(outcome);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(queued);
      this.fill();
      this.dispatch();
    });
  }

  prepare(): void {
    if (!this.closed && !this.startError) this.fill();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    await this.snapshot?.catch(() => undefined);
    for (const queued of this.queue.splice(0)) queued.settle(crashedOutcome('the Python engine was closed'));
    const processes = [...this.processes];
    for (const process of processes) process.kill(crashedOutcome('the Python engine was closed'));
    await Promise.all(processes.map((process) => process.exited()));
    this.snapshotFile?.dispose();
  }

  /** Starts processes up to the pool's size, once the snapshot they restore from exists. */
  private fill(): void {
    if (this.closed || !this.snapshotFile) return;
    if (!this.snapshotPath) {
      if (this.snapshot) return;
      this.snapshot = this.snapshotFile.path(this.launch, this.snapshotSettings ?? this.settings, this.closing.signal);
      this.snapshot.then((file) => {
        this.snapshotPath = file;
        this.fill();
      }, (error: unknown) => {
        // The next run tries again; those waiting now learn why.
        this.snapshot = undefined;
        this.failQueue(error instanceof Error ? error.message : String(error));
      });
      return;
    }
    const settings: HostSettings = { ...this.settings, snapshotPath: this.snapshotPath };
    while (this.processes.size < this.poolSize) {
      this.processes.add(new SandboxProcess(this.launch, settings, {
        idle: () => {
          this.startFailures = 0;
          this.dispatch();
        },
        exited: (process, wasReady, message) => this.onExited(process, wasReady, message),
      }));
    }
  }

  /** Queued runs go to idle processes: first those with an interpreter restored, then the one that began restoring earliest. */
  private dispatch(): void {
    const idle = [...this.processes].filter((p) => p.idle).sort((a, b) => Number(b.warm) - Number(a.warm) || a.restoringSince - b.restoringSince);
    for (const process of idle) {
      const queued = this.queue.shift();
      if (!queued) return;
      const wait = queued.message.limits.wallMs + this.settings.graceMs + BACKSTOP_MS;
      queued.backstop = setTimeout(() => this.onBackstop(process, queued), wait);
      process.start(queued);
    }
  }

  private onExited(process: SandboxProcess, wasReady: boolean, message: string): void {
    this.processes.delete(process);
    if (this.closed) return;
    // A process that served runs is replaced at once. One that failed to start is tried again from a
    // snapshot file checked again (one removed or torn since is made again); a second failure in a
    // row ends the waiting runs with its reason, and the next run tries again.
    if (wasReady) return this.fill();
    this.snapshotPath = undefined;
    this.snapshot = undefined;
    this.startFailures += 1;
    if (this.startFailures >= 2 && this.processes.size === 0) this.failQueue(message);
    else if (this.queue.length > 0) this.fill();
  }

  private cancel(queued: Queued): void {
    const at = this.queue.indexOf(queued);
    if (at !== -1) this.queue.splice(at, 1);
    const running = [...this.processes].find((p) => p.runId === queued.message.runId);
    if (running) running.kill(cancelled());
    else queued.settle(cancelled());
  }

  /** The process did not end a run long after its limits: it is stuck; stop it (another is started). */
  private onBackstop(process: SandboxProcess, queued: Queued): void {
    if (process.runId !== queued.message.runId) return;
    const { wallMs } = queued.message.limits;
    process.kill(failedOutcome({ code: 'SANDBOX_TIMEOUT', limit: 'wallMs', message: `wall time limit exceeded: the run took longer than ${wallMs} ms and its Python sandbox process was stopped` }));
  }

  private failQueue(message: string): void {
    for (const queued of this.queue.splice(0)) queued.settle(crashedOutcome(message));
  }
}

function defaultHostEntry(): string {
  const here = fileURLToPath(new URL('./python-host.js', import.meta.url));
  if (existsSync(here)) return here;
  // Running from src/ (tests): the compiled entry is under dist/.
  return fileURLToPath(new URL('../../dist/sandbox/python-host.js', import.meta.url));
}

const cancelled = (): RunOutcome => failedOutcome({ code: 'SANDBOX_CANCELLED', message: 'the run was cancelled by the client' });
