// The gateway's side of one Python sandbox process in mode `run`: its control lines (ready, warm,
// done) and its data lines (the worker's host calls, console lines and end marks), one run at a
// time. A process speaks only for the run it was given: a line naming any other run is dropped, and
// one longer than the run's limits allow stops the process.
// The run ends when the outcome came and the worker's data ended (or the worker was stopped).
import { readBoundedLines } from '../common/index.js';
import type { HostBridge, RunFailure, RunOutcome } from './engine.js';
import { launchSandboxProcess, withDetail, type PythonLaunch, type SandboxChild } from './python-launch.js';
import type { GatewayToHost, GatewayToWorker, HostSettings, HostToGateway, RunMessage, WorkerToGateway } from './python-protocol.js';
import { forwardLogs, relay } from './worker-slot.js';

/** Room in a channel's line for what is not the run's payload (ids, stats, a traceback). */
const LINE_SLACK_BYTES = 1 << 20;

export interface ProcessRun {
  readonly message: RunMessage;
  readonly bridge: HostBridge;
  readonly settle: (outcome: RunOutcome) => void;
}

export interface ProcessEvents {
  /** The process can take a run (it is idle and was not told to retire). */
  idle(process: SandboxProcess): void;
  /** The process is gone; `wasReady`: it had served or could serve runs (else it failed to start, `message` says why). */
  exited(process: SandboxProcess, wasReady: boolean, message: string): void;
}

interface Running extends ProcessRun {
  outcome?: RunOutcome;
  dataEnded: boolean;
}

export class SandboxProcess {
  /** Has an interpreter restored and waiting. */
  warm = false;
  /** When it began restoring the interpreter it will run next (the earliest is the nearest to ready). */
  restoringSince = performance.now();
  private ready = false;
  private retiring = false;
  private gone = false;
  private current: Running | undefined;
  /** Why the process said it cannot run Python, if it did. */
  private fault: string | undefined;
  private readonly child: SandboxChild;

  private readonly maxArgumentBytes: number;

  constructor(launch: PythonLaunch, settings: HostSettings, private readonly events: ProcessEvents) {
    this.maxArgumentBytes = settings.maxArgumentBytes;
    const child = launchSandboxProcess(launch, settings);
    this.child = child;
    // A dead child's pipes: its exit handler settles the run.
    child.control.on('error', () => undefined);
    child.data.on('error', () => undefined);
    readBoundedLines(child.output, () => this.maxLineBytes('control'), (line) => this.onControl(line), (bytes) => this.onOverflow('control', bytes));
    readBoundedLines(child.data, () => this.maxLineBytes('data'), (line) => this.onData(line), (bytes) => this.onOverflow('data', bytes));
    child.process.on('error', (error) => this.onExit(`could not start the Python sandbox process: ${error.message}`));
    child.process.on('exit', (code, signal) => this.onExit(`the Python sandbox process exited (${signal ?? `code ${code}`})`));
  }

  get idle(): boolean {
    return this.ready && !this.retiring && !this.gone && !this.current;
  }

  get runId(): number | undefined {
    return this.current?.message.runId;
  }

  start(run: ProcessRun): void {
    this.current = { ...run, dataEnded: false };
    this.warm = false;
    this.write(this.child.control, run.message);
  }

  /** Ends the current run with `outcome` and the process with it (cancel, the backstop, close). */
  kill(outcome?: RunOutcome): void {
    this.retiring = true;
    if (outcome) this.finish(outcome);
    const child = this.child.process;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /** Resolves when the process has exited. */
  exited(): Promise<void> {
    const child = this.child.process;
    if (this.gone || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /**
   * The longest line a channel may carry: what the run's limits let through (a call's arguments and
   * a batch of console lines on the data channel; the outcome's value and console on the control
   * channel), with room for JSON's escaping. Nothing larger comes from a sandbox that holds.
   */
  private maxLineBytes(channel: 'control' | 'data'): number {
    const limits = this.current?.message.limits;
    const payload = channel === 'data' ? this.maxArgumentBytes + (limits?.maxLogBytes ?? 0) : (limits?.maxResultBytes ?? 0) + (limits?.maxLogBytes ?? 0);
    return 8 * payload + LINE_SLACK_BYTES;
  }

  private onOverflow(channel: 'control' | 'data', bytes: number): void {
    this.kill(crashedOutcome(`the Python sandbox process sent a line of over ${bytes} bytes on its ${channel} channel, more than its run's limits allow; the process was stopped`));
  }

  private onControl(line: string): void {
    const message = parse<HostToGateway>(line);
    if (!message) return;
    if (message.type === 'ready') {
      this.ready = true;
      this.restoringSince = performance.now();
      this.events.idle(this);
    } else if (message.type === 'warm') {
      if (!this.current) this.warm = true;
    } else if (message.type === 'fault') {
      this.fault = message.message;
    } else if (message.type === 'done') {
      const current = this.current;
      if (!current || current.message.runId !== message.runId) return;
      if (message.last) this.retiring = true;
      current.outcome = message.outcome;
      if (!message.dataEnd) current.dataEnded = true;
      this.settleIfEnded();
    }
  }

  private onData(line: string): void {
    const message = parse<WorkerToGateway>(line);
    const current = this.current;
    if (!message || !current || message.runId !== current.message.runId || current.dataEnded) return;
    if (message.type === 'call') {
      void relay(current.bridge, message.namespace, message.fn, message.argsJson).then((reply) => {
        if (this.current === current && !current.outcome) this.write(this.child.data, { ...reply, runId: message.runId, callId: message.callId } as GatewayToWorker);
      });
    } else if (message.type === 'log') {
      forwardLogs(current.bridge, message.entries);
    } else if (message.type === 'end') {
      current.dataEnded = true;
      this.settleIfEnded();
    }
  }

  private settleIfEnded(): void {
    const current = this.current;
    if (!current?.outcome || !current.dataEnded) return;
    this.finish(current.outcome);
    this.restoringSince = performance.now(); // the worker restores its next interpreter now
    if (!this.retiring) this.events.idle(this);
  }

  private finish(outcome: RunOutcome): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    current.settle(outcome);
  }

  private onExit(message: string): void {
    if (this.gone) return;
    this.gone = true;
    const full = withDetail(message, this.fault ?? this.child.lastStderrLine());
    // An outcome that came before the exit stands (its data channel closed with the process).
    const current = this.current;
    if (current) this.finish(current.outcome ?? crashedOutcome(full));
    this.events.exited(this, this.ready, full);
  }

  private write(stream: NodeJS.WritableStream, message: GatewayToHost | GatewayToWorker): void {
    if (!this.gone) stream.write(`${JSON.stringify(message)}\n`);
  }
}

function parse<T>(line: string): T | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

export function failedOutcome(error: RunFailure): RunOutcome {
  return { ok: false, error, logs: [], logsTruncated: false, stats: { wallMs: 0, cpuMs: 0, hostCalls: 0 } };
}

export const crashedOutcome = (message: string): RunOutcome => failedOutcome({ code: 'SANDBOX_CRASHED', message });
