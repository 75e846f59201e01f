// The Python engine: runs programs in a separate sandbox host process (python-host.ts), started
// with node, an empty environment, only its three stdio pipes, no shell, and Node's permission
// model (read access to pyodide and this folder's build only; no child processes). Guest calls come
// back over the pipe and go to the run's HostBridge like the JavaScript engine's. If the process
// dies, its runs end with SANDBOX_CRASHED and a new one is started.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Engine, HostBridge, RunFailure, RunOutcome, RunRequest } from './engine.js';
import { RemovedClosures, type PythonClosure } from './python-closures.js';
import type { GatewayToHost, HostToGateway, RunMessage } from './python-protocol.js';
import { forwardLogs, relay } from './worker-slot.js';

export interface PythonEngineOptions {
  /** Worker threads in the sandbox process, each with a restored interpreter waiting. Default 2. */
  readonly poolSize?: number;
  /** How long past a CPU or wall limit a program that ignores the interrupt may run before its worker is stopped. Default 500. */
  readonly graceMs?: number;
  /** Largest JSON of one call's arguments. Default 8 MiB. */
  readonly maxArgumentBytes?: number;
  /** V8 heap of each worker thread (host-side strings of the interpreter). Default 512. */
  readonly workerHeapMb?: number;
  /** Native stack of each worker thread. Default 16. */
  readonly workerStackMb?: number;
  /** The compiled host entry (python-host.js). Default: next to this module, or under dist/. */
  readonly hostEntry?: string;
  /**
   * Test only (test/security/python-closures*.test.ts): closures of the sandbox to leave out, to show
   * that the escape battery catches each one missing. Never set by the gateway (cli/python-wiring.ts
   * passes only poolSize and maxArgumentBytes; a test asserts no other file names this option).
   */
  readonly removeClosuresForTest?: readonly PythonClosure[];
}

const DEFAULTS = { poolSize: 2, graceMs: 500, maxArgumentBytes: 8 * 2 ** 20, workerHeapMb: 512, workerStackMb: 16 } as const;
/** Past the wall limit and the grace, the gateway itself gives up on the process. */
const BACKSTOP_MS = 5_000;
/** Lines of the process's stderr kept to explain a crash. */
const STDERR_KEPT_CHARS = 2_000;

export function createPythonEngine(options: PythonEngineOptions = {}): Engine {
  return new PythonEngine(options);
}

interface Pending {
  readonly request: RunMessage;
  readonly bridge: HostBridge;
  readonly settle: (outcome: RunOutcome) => void;
  backstop?: NodeJS.Timeout;
}

class PythonEngine implements Engine {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending = new Map<number, Pending>();
  private runSeq = 0;
  private closed = false;
  private stderrTail = '';
  private readonly hostEntry: string;
  private readonly settings: Record<string, unknown>;
  private readonly readAllowed: string[];
  private startError: string | undefined;
  private readonly closures: RemovedClosures;

  constructor(private readonly options: PythonEngineOptions) {
    this.hostEntry = options.hostEntry ?? defaultHostEntry();
    this.closures = new RemovedClosures(options.removeClosuresForTest);
    const pyodideDir = path.dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
    this.settings = {
      indexURL: `${pyodideDir}${path.sep}`,
      poolSize: Math.max(1, Math.floor(options.poolSize ?? DEFAULTS.poolSize)),
      graceMs: options.graceMs ?? DEFAULTS.graceMs,
      maxArgumentBytes: options.maxArgumentBytes ?? DEFAULTS.maxArgumentBytes,
      workerHeapMb: options.workerHeapMb ?? DEFAULTS.workerHeapMb,
      workerStackMb: options.workerStackMb ?? DEFAULTS.workerStackMb,
      ...(this.closures.list.length > 0 ? { removedClosures: this.closures.list } : {}),
    };
    // The whole build folder (the host imports sandbox/ and common/cut.js) and pyodide's package.
    this.readAllowed = [path.dirname(path.dirname(this.hostEntry)), pyodideDir];
    if (!existsSync(this.hostEntry)) this.startError = `the Python sandbox entry is missing: ${this.hostEntry} (build first: npx tsc -p tsconfig.json)`;
  }

  async run(request: RunRequest, bridge: HostBridge, signal?: AbortSignal): Promise<RunOutcome> {
    if (this.closed) return crashed('the Python engine is closed');
    if (this.startError) return crashed(this.startError);
    if (signal?.aborted) return cancelled();
    const child = this.ensureChild();
    return new Promise<RunOutcome>((resolve) => {
      const runId = ++this.runSeq;
      const onAbort = () => {
        this.write(child, { type: 'cancel', runId });
        this.finish(runId, cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const message: RunMessage = {
        type: 'run', runId, code: request.code, filename: request.filename, api: request.api,
        ...(request.forms ? { forms: request.forms } : {}), limits: request.limits, ...(typeof bridge.log === 'function' ? { streamLogs: true } : {}),
      };
      this.pending.set(runId, {
        request: message, bridge,
        settle: (outcome) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(outcome);
        },
      });
      this.write(child, message);
    });
  }

  prepare(): void {
    if (!this.closed && !this.startError) this.ensureChild();
  }

  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    this.child = undefined;
    this.failAll('the Python engine was closed');
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }

  private ensureChild(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const permissions = ['--experimental-permission', ...this.readAllowed.map((dir) => `--allow-fs-read=${dir}${path.sep}`), '--allow-worker'];
    const args = [
      ...(this.closures.keeps('permission-model') ? permissions : []),
      '--disable-warning=ExperimentalWarning', '--disable-warning=SecurityWarning', '--max-old-space-size=256',
      this.hostEntry, JSON.stringify(this.settings),
    ];
    // No shell, no environment, only the three pipes: nothing of the gateway's world is inherited.
    const env = this.closures.keeps('empty-env') ? {} : undefined; // undefined: the gateway's own (test only)
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'], shell: false, windowsHide: true });
    this.child = child;
    this.stderrTail = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_KEPT_CHARS);
    });
    child.stdin.on('error', () => undefined); // a dead child's pipe; its exit handler settles the runs
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => this.onLine(child, line));
    child.on('error', (error) => this.onExit(child, `could not start the Python sandbox process: ${error.message}`));
    child.on('exit', (code, sig) => this.onExit(child, `the Python sandbox process exited (${sig ?? `code ${code}`})`));
    return child;
  }

  private onLine(child: ChildProcessWithoutNullStreams, line: string): void {
    if (child !== this.child) return;
    let message: HostToGateway;
    try {
      message = JSON.parse(line) as HostToGateway;
    } catch {
      return;
    }
    switch (message.type) {
      case 'started': {
        const run = this.pending.get(message.runId);
        if (run) {
          const wait = run.request.limits.wallMs + Number(this.settings['graceMs']) + BACKSTOP_MS;
          run.backstop = setTimeout(() => this.onBackstop(child, message.runId), wait);
        }
        return;
      }
      case 'call': {
        const run = this.pending.get(message.runId);
        if (!run) return;
        void relay(run.bridge, message.namespace, message.fn, message.argsJson).then((reply) => {
          if (this.child === child && this.pending.has(message.runId)) this.write(child, { ...reply, runId: message.runId, callId: message.callId } as GatewayToHost);
        });
        return;
      }
      case 'log': {
        const run = this.pending.get(message.runId);
        if (run) forwardLogs(run.bridge, message.entries);
        return;
      }
      case 'done':
        this.finish(message.runId, message.outcome);
        return;
      case 'fault':
        this.stderrTail = message.message;
        return;
      default:
    }
  }

  /** The process did not end a run long after its limits: it is stuck; start another. */
  private onBackstop(child: ChildProcessWithoutNullStreams, runId: number): void {
    if (child !== this.child) return;
    const run = this.pending.get(runId);
    if (!run) return;
    this.finish(runId, failedOutcome({ code: 'SANDBOX_TIMEOUT', limit: 'wallMs', message: `wall time limit exceeded: the run took longer than ${run.request.limits.wallMs} ms and the Python sandbox process was restarted` }));
    child.kill('SIGKILL');
  }

  private onExit(child: ChildProcessWithoutNullStreams, message: string): void {
    if (child !== this.child) return;
    this.child = undefined;
    const detail = this.stderrTail.trim().split('\n').filter(Boolean).at(-1);
    this.failAll(detail ? `${message}: ${detail.slice(0, 300)}` : message);
  }

  private failAll(message: string): void {
    for (const runId of [...this.pending.keys()]) this.finish(runId, crashed(message));
  }

  private finish(runId: number, outcome: RunOutcome): void {
    const run = this.pending.get(runId);
    if (!run) return;
    this.pending.delete(runId);
    clearTimeout(run.backstop);
    run.settle(outcome);
  }

  private write(child: ChildProcessWithoutNullStreams, message: GatewayToHost): void {
    if (child.stdin.writable) child.stdin.write(`${JSON.stringify(message)}\n`);
  }
}

function defaultHostEntry(): string {
  const here = fileURLToPath(new URL('./python-host.js', import.meta.url));
  if (existsSync(here)) return here;
  // Running from src/ (tests): the compiled entry is under dist/.
  return fileURLToPath(new URL('../../dist/sandbox/python-host.js', import.meta.url));
}

function failedOutcome(error: RunFailure): RunOutcome {
  return { ok: false, error, logs: [], logsTruncated: false, stats: { wallMs: 0, cpuMs: 0, hostCalls: 0 } };
}

const crashed = (message: string): RunOutcome => failedOutcome({ code: 'SANDBOX_CRASHED', message });
const cancelled = (): RunOutcome => failedOutcome({ code: 'SANDBOX_CANCELLED', message: 'the run was cancelled by the client' });
