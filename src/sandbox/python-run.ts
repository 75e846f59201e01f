// One run of one Python program in one fresh pyodide instance, inside a sandbox worker: binds
// print() to the run's log budget, the heap cap and the interrupt buffer, calls `_cemcp.run`, relays
// host calls, and turns what Python answered into a RunOutcome. Imported by python-worker.ts only.
// CPU and wall limits are the host process's (it interrupts, then stops the worker).
import type { Limits, LogEntry, RunFailure, RunOutcome } from './engine.js';
import { crashFailure, memoryFailure, outputFailure, stackFailure } from './guest-failure.js';
import { LogBuffer } from './log-buffer.js';
import type { PythonInstance } from './python-instance.js';
import type { ReplyMessage, RunMessage } from './python-protocol.js';

export interface PythonRunEnv {
  readonly instance: PythonInstance;
  readonly interrupt: Int32Array;
  readonly maxArgumentBytes: number;
  /** The program starts now (its interpreter is ready). */
  begin(): void;
  sendCall(runId: number, callId: number, namespace: string, fn: string, argsJson: string): void;
  sendLogs?(runId: number, entries: readonly LogEntry[]): void;
}

export interface PythonRunResult {
  readonly outcome: RunOutcome;
  readonly recycle: boolean;
}

/** What `_cemcp.run` answers (see python-prelude.ts). */
interface PythonAnswer {
  readonly ok: boolean;
  readonly value?: string;
  readonly kind?: 'syntax' | 'thrown' | 'interrupted' | 'stack' | 'memory';
  readonly name?: string;
  readonly message?: string;
  readonly line?: number;
  readonly column?: number;
  readonly traceback?: string;
  readonly tool?: boolean;
  readonly code?: string;
  readonly dataJson?: string;
}

const SIGINT = 2;

export class PythonRun {
  private readonly logs: LogBuffer;
  private readonly allowed: ReadonlyMap<string, ReadonlySet<string>>;
  private readonly pendingCalls = new Set<number>();
  private callSeq = 0;
  private hostCalls = 0;
  private ended = false;
  private fatal: ((failure: RunFailure) => void) | undefined;
  private deliver: ((callId: number, ok: boolean, text: string, orText: boolean) => void) | undefined;

  constructor(
    private readonly request: RunMessage,
    private readonly env: PythonRunEnv,
  ) {
    this.logs = new LogBuffer(request.limits.maxLogBytes);
    this.allowed = new Map(Object.entries(request.api).map(([ns, fns]) => [ns, new Set(fns)]));
  }

  receive(reply: ReplyMessage): void {
    if (this.ended || !this.pendingCalls.delete(reply.callId)) return;
    if (!reply.ok && reply.fatal) {
      this.fatal?.({ code: reply.code, message: reply.message });
      return;
    }
    this.deliver?.(reply.callId, reply.ok, reply.ok ? reply.json : reply.errorJson, reply.ok && reply.orText === true);
  }

  async execute(): Promise<PythonRunResult> {
    const started = performance.now();
    const { py, heap, output } = this.env.instance;
    const limits = this.request.limits;
    Atomics.store(this.env.interrupt, 0, 0);
    py.setInterruptBuffer(this.env.interrupt);
    heap.capBytes = heap.heapBytes() + limits.memoryBytes;
    heap.onExhausted = () => Atomics.store(this.env.interrupt, 0, SIGINT);
    output.write = (level, line) => this.onLog(level, line);

    let failure: RunFailure | undefined;
    let valueJson: string | undefined;
    let recycle = false;
    try {
      const cemcp = this.env.instance.cemcp as PyModule;
      // One proxy of `deliver` for the run: `cemcp.deliver(...)` would make a new one per call.
      const deliver = cemcp.deliver;
      this.deliver = (callId, ok, text, orText) => deliver(callId, ok, text, orText);
      const forms = JSON.stringify(this.request.forms ?? {});
      const fatal = new Promise<RunFailure>((resolve) => {
        this.fatal = resolve;
      });
      this.env.begin();
      const task = cemcp.run_task(this.request.code, JSON.stringify(this.request.api), forms, this.hostCall);
      const answered = await Promise.race([Promise.resolve(task).then((text) => ({ text: String(text) })), fatal.then((f) => ({ fatal: f }))]);
      if ('fatal' in answered) {
        failure = answered.fatal;
        recycle = true; // the program's task still waits in this worker's event loop
      } else {
        const answer = parseAnswer(answered.text);
        if (answer.ok) valueJson = answer.value;
        else failure = this.failureOf(answer);
        if (!answer.ok && answer.kind !== 'thrown' && answer.kind !== 'syntax') recycle = true;
        else if (Number(cemcp.pending_tasks()) !== 0) recycle = true; // a task the program left running
      }
    } catch (fault) {
      recycle = true;
      failure = this.faultFailure(fault);
    } finally {
      this.ended = true;
      heap.onExhausted = undefined;
    }
    if (heap.exhausted) failure = memoryFailure(limits);
    if (!failure && valueJson !== undefined) {
      const bytes = Buffer.byteLength(valueJson, 'utf8');
      if (bytes > limits.maxResultBytes) failure = outputFailure(limits, bytes);
    }
    this.flushLogs();
    const stats = { wallMs: performance.now() - started, cpuMs: 0, hostCalls: this.hostCalls };
    const common = { logs: this.logs.entries, logsTruncated: this.logs.truncated, stats };
    const outcome: RunOutcome = failure ? { ok: false, error: failure, ...common } : { ok: true, valueJson, ...common };
    return { outcome, recycle };
  }

  /** `host_call(namespace, fn, args_json)` of the prelude: a call id, or a refusal (< 0). */
  private readonly hostCall = (namespace: unknown, fn: unknown, argsJson: unknown): number => {
    try {
      if (this.ended) return -3;
      if (typeof namespace !== 'string' || typeof fn !== 'string' || typeof argsJson !== 'string') return -1;
      if (!this.allowed.get(namespace)?.has(fn)) return -1;
      if (Buffer.byteLength(argsJson, 'utf8') > this.env.maxArgumentBytes) return -2;
      const callId = ++this.callSeq;
      this.hostCalls += 1;
      this.pendingCalls.add(callId);
      this.flushLogs();
      this.env.sendCall(this.request.runId, callId, namespace, fn, argsJson);
      return callId;
    } catch {
      return -1;
    }
  };

  private onLog(level: 'log' | 'error', line: string): void {
    if (this.ended) return;
    this.logs.add(level, line, false);
    if (this.env.sendLogs && this.logs.batchDue(performance.now())) this.flushLogs();
  }

  private flushLogs(): void {
    const send = this.env.sendLogs;
    if (!send || !this.logs.hasBatch) return;
    try {
      send(this.request.runId, this.logs.takeBatch(performance.now()));
    } catch {
      // every entry is still in the outcome
    }
  }

  private failureOf(answer: PythonAnswer): RunFailure {
    const limits: Limits = this.request.limits;
    const position = answer.line !== undefined ? { line: answer.line, column: Math.max(1, answer.column ?? 1) } : undefined;
    if (answer.kind === 'memory') return memoryFailure(limits);
    if (answer.kind === 'syntax') return { code: 'SYNTAX_ERROR', name: answer.name ?? 'SyntaxError', message: answer.message ?? '', ...(position ? { position } : {}) };
    if (answer.kind === 'stack') return { ...stackFailure(limits.stackBytes), message: `stack limit exceeded: ${answer.message ?? 'recursion too deep'}`, ...(position ? { position } : {}) };
    // A limit's interrupt is named by the host process (it knows which limit it was); one the
    // program raised itself (signal.raise_signal) is its own KeyboardInterrupt.
    let data: unknown;
    if (answer.tool && answer.dataJson !== undefined) {
      try {
        data = JSON.parse(answer.dataJson);
      } catch {
        data = undefined;
      }
    }
    const message = `${answer.message ?? ''}${answer.traceback ? `\n${answer.traceback}` : ''}`;
    return {
      code: 'GUEST_THREW',
      message,
      name: answer.name ?? 'Exception',
      ...(position ? { position } : {}),
      ...(data !== undefined ? { data } : {}),
      ...(answer.tool && answer.code !== undefined ? { toolCode: answer.code } : {}),
    };
  }

  private faultFailure(fault: unknown): RunFailure {
    if (fault instanceof RangeError && /call stack/i.test(fault.message)) return stackFailure(this.request.limits.stackBytes);
    const message = fault instanceof Error ? fault.message : String(fault);
    if (/call stack|stack overflow/i.test(message)) return stackFailure(this.request.limits.stackBytes);
    return crashFailure(`the Python interpreter failed during the run (${message.slice(-600)})`);
  }
}

interface PyModule {
  run_task(code: string, apiJson: string, formsJson: string, hostCall: (...args: unknown[]) => number): PromiseLike<unknown>;
  deliver(callId: number, ok: boolean, text: string, orText: boolean): void;
  pending_tasks(): unknown;
}

function parseAnswer(text: string): PythonAnswer {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { ok?: unknown }).ok === 'boolean') return parsed as PythonAnswer;
  } catch {
    // fall through
  }
  return { ok: false, kind: 'thrown', name: 'RuntimeError', message: 'the program ended without an answer' };
}
