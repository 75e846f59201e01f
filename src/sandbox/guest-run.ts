// One run of one program in one fresh QuickJS instance, inside a worker: starts the prelude,
// evaluates and calls the program, drives its promise as host replies arrive, and enforces the
// CPU, wall, memory, stack and output limits. Imported by worker-entry.ts only. Every outcome is
// a value; the instance is dropped afterwards, whatever happened (never reused, never disposed).
// Over 300 lines: the drive loop and every limit check share the run's state; split, they'd leak it.
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import type { SharedCpuClock } from './cpu-clock.js';
import type { Limits, LogEntry, RunFailure, RunOutcome } from './engine.js';
import {
  cpuFailure, crashFailure, deadlockFailure, memoryFailure, outputFailure, parseErrorInfo, stackFailure,
  thrownFailure, wallFailure,
} from './guest-failure.js';
import type { Kit, PreparedGuest } from './guest-kit.js';
import { defineLibrary } from './guest-library.js';
import { CALL_AFTER_END, CALL_REFUSED, CALL_TOO_LARGE } from './guest-prelude.js';
import { planGuestStack, timerDelay } from './guest-sizing.js';
import { newGuestString } from './guest-strings.js';
import { LogBuffer } from './log-buffer.js';
import type { ReplyMessage, RunMessage } from './worker-protocol.js';

export interface GuestRunEnv {
  /** A fresh instance with the prelude evaluated and not yet started (guest-kit.ts). */
  readonly instance: PreparedGuest;
  readonly maxGuestStackBytes: number;
  readonly maxArgumentBytes: number;
  /** Shared with the host's watchdog; kept up to date at every stretch of guest code. */
  readonly cpuClock: SharedCpuClock;
  sendCall(runId: number, callId: number, namespace: string, fn: string, argsJson: string): void;
  /** Absent: console output crosses only with the outcome. Present: also in batches while the run goes on. */
  sendLogs?(runId: number, entries: readonly LogEntry[]): void;
}

export interface GuestRunResult {
  readonly outcome: RunOutcome;
  /** A host-level fault escaped QuickJS (native stack overflow, wasm trap): replace the worker. */
  readonly recycle: boolean;
}

type Ended = { readonly ok: true; readonly valueJson: string | undefined } | { readonly ok: false; readonly failure: RunFailure };

/** Error and log texts longer than this are clipped in the guest before they cross. */
const MAX_TEXT_CHARS = 8_192;

export class GuestRun {
  private readonly limits: Limits;
  private readonly logs: LogBuffer;
  private readonly allowed: ReadonlyMap<string, ReadonlySet<string>>;
  private readonly inbox: ReplyMessage[] = [];
  private readonly pendingCalls = new Set<number>();
  private wake: (() => void) | undefined;
  private startedAt = 0;
  private deadline = 0;
  private timedOut = false;
  private cpuUsedMs = 0;
  private segmentStart = -1;
  private interrupted: 'cpu' | 'wall' | 'memory' | undefined;
  private callSeq = 0;
  private hostCalls = 0;
  // Set once the program's promise settled: code the run still executes (toJSON while finish
  // serializes the value, getters while describe reads an error) may not start a tool call.
  private bodySettled = false;
  private lateCalls = 0;
  private readonly stackBytes: number;

  constructor(
    private readonly request: RunMessage,
    private readonly env: GuestRunEnv,
  ) {
    this.limits = request.limits;
    this.logs = new LogBuffer(request.limits.maxLogBytes);
    this.allowed = new Map(Object.entries(request.api).map(([ns, fns]) => [ns, new Set(fns)]));
    this.stackBytes = planGuestStack(request.limits.stackBytes, env.maxGuestStackBytes);
  }

  /** A host reply for this run (replies for calls it no longer waits on are ignored). */
  receive(reply: ReplyMessage): void {
    this.inbox.push(reply);
    this.wake?.();
  }

  async execute(): Promise<GuestRunResult> {
    this.startedAt = performance.now();
    this.env.cpuClock.leave(0);
    this.deadline = this.startedAt + this.limits.wallMs;
    const timer = setTimeout(() => {
      this.timedOut = true;
      this.wake?.();
    }, timerDelay(this.limits.wallMs));
    let ended: Ended;
    let recycle = false;
    try {
      ended = await this.drive();
    } catch (fault) {
      recycle = true;
      ended = { ok: false, failure: this.hostFault(fault) };
    } finally {
      clearTimeout(timer);
    }
    this.flushLogs();
    const stats = { wallMs: performance.now() - this.startedAt, cpuMs: this.cpuUsedMs, hostCalls: this.hostCalls, ...(this.lateCalls ? { lateCalls: this.lateCalls } : {}) };
    const common = { logs: this.logs.entries, logsTruncated: this.logs.truncated, stats };
    const outcome: RunOutcome = ended.ok
      ? { ok: true, valueJson: ended.valueJson, ...common }
      : { ok: false, error: ended.failure, ...common };
    return { outcome, recycle };
  }

  private async drive(): Promise<Ended> {
    const { runtime, context: ctx } = this.env.instance;
    runtime.setMemoryLimit(this.limits.memoryBytes);
    runtime.setMaxStackSize(this.stackBytes);
    runtime.setInterruptHandler(this.shouldInterrupt);

    const kit = this.installPrelude(ctx);
    if (!('deliver' in kit)) return kit;
    if (this.request.library) {
      const failed = defineLibrary(ctx, kit, this.request.library, (work) => this.segment(work));
      if (failed) return this.failWith(kit, failed);
    }

    const compiled = this.segment(() => ctx.evalCode(this.request.code, this.request.filename, { type: 'global' }));
    if (compiled.error) return this.failWith(kit, compiled.error);
    if (ctx.typeof(compiled.value) !== 'function') {
      return { ok: false, failure: { code: 'GUEST_THREW', name: 'TypeError', message: 'the program must be an async function expression' } };
    }
    const called = this.segment(() => ctx.callFunction(compiled.value, ctx.undefined));
    if (called.error) return this.failWith(kit, called.error);
    const promise = called.value;

    for (;;) {
      const jobs = this.segment(() => runtime.executePendingJobs(-1));
      if (jobs.error) return this.failWith(kit, jobs.error);
      const state = ctx.getPromiseState(promise);
      if (state.type === 'fulfilled') return this.finishWith(kit, state.value);
      if (state.type === 'rejected') return this.failWith(kit, state.error);
      const limit = this.limitFailure();
      if (limit) return { ok: false, failure: limit };
      if (this.inbox.length === 0) {
        // No host call pending and no job queued: nothing in this world can settle the promise.
        if (this.pendingCalls.size === 0 && !runtime.hasPendingJob()) return { ok: false, failure: deadlockFailure() };
        this.flushLogs();
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
        if (this.timedOut) return { ok: false, failure: wallFailure(this.limits) };
      }
      for (const reply of this.inbox.splice(0)) {
        if (!this.pendingCalls.delete(reply.callId)) continue;
        if (!reply.ok && reply.fatal) return { ok: false, failure: { code: reply.code, message: reply.message } };
        this.deliver(ctx, kit, reply);
        const limitAfter = this.limitFailure();
        if (limitAfter) return { ok: false, failure: limitAfter };
      }
    }
  }

  private installPrelude(ctx: QuickJSContext): Kit | Ended {
    const started = this.env.instance.prelude.start(
      { call: (nsH, fnH, jsonH) => this.onCall(ctx, nsH, fnH, jsonH), log: (levelH, textH, cutH) => this.onLog(ctx, levelH, textH, cutH) },
      { api: this.request.api, logBudgetBytes: this.limits.maxLogBytes, maxTextChars: MAX_TEXT_CHARS, maxArgumentBytes: this.env.maxArgumentBytes,
        forms: this.request.forms ?? {} },
    );
    return 'kit' in started ? started.kit : this.preludeFailure(ctx, started.error);
  }

  /** The prelude is our code: it fails only for want of memory or stack (or a bug, reported as such). */
  private preludeFailure(ctx: QuickJSContext, error: QuickJSHandle): Ended {
    const limit = this.limitFailure();
    if (limit) return { ok: false, failure: limit };
    const dumped = ctx.dump(error) as { message?: unknown } | null;
    const message = typeof dumped?.message === 'string' ? dumped.message : String(dumped);
    if (message === 'stack overflow') return { ok: false, failure: stackFailure(this.stackBytes) };
    if (message === 'out of memory' || dumped === null) return { ok: false, failure: memoryFailure(this.limits) };
    return { ok: false, failure: crashFailure(`the sandbox prelude failed: ${message}`) };
  }

  private onCall(ctx: QuickJSContext, nsH?: QuickJSHandle, fnH?: QuickJSHandle, jsonH?: QuickJSHandle): number {
    // Never throw here: a host exception would reach the guest carrying a host stack.
    try {
      if (!nsH || !fnH || !jsonH || ctx.typeof(nsH) !== 'string' || ctx.typeof(fnH) !== 'string' || ctx.typeof(jsonH) !== 'string') return CALL_REFUSED;
      const namespace = ctx.getString(nsH);
      const fn = ctx.getString(fnH);
      if (!this.allowed.get(namespace)?.has(fn)) return CALL_REFUSED;
      if (this.bodySettled) {
        this.lateCalls += 1;
        return CALL_AFTER_END;
      }
      const argsJson = ctx.getString(jsonH);
      if (Buffer.byteLength(argsJson, 'utf8') > this.env.maxArgumentBytes) return CALL_TOO_LARGE;
      const callId = ++this.callSeq;
      this.hostCalls += 1;
      this.pendingCalls.add(callId);
      this.flushLogs();
      this.env.sendCall(this.request.runId, callId, namespace, fn, argsJson);
      return callId;
    } catch {
      return CALL_REFUSED;
    }
  }

  private onLog(ctx: QuickJSContext, levelH?: QuickJSHandle, textH?: QuickJSHandle, cutH?: QuickJSHandle): number {
    try {
      if (!levelH || !textH || ctx.typeof(levelH) !== 'string' || ctx.typeof(textH) !== 'string') return this.logs.remainingBytes;
      const cut = cutH !== undefined && ctx.typeof(cutH) === 'boolean' && ctx.dump(cutH) === true;
      const remaining = this.logs.add(ctx.getString(levelH), ctx.getString(textH), cut);
      if (this.env.sendLogs && this.logs.batchDue(performance.now())) this.flushLogs();
      return remaining;
    } catch {
      return this.logs.remainingBytes;
    }
  }

  /**
   * Streams the entries kept since the last batch, if the host wants them: at every host call (a
   * line logged before a call arrives before it), when the run waits, at its end, and when
   * LogBuffer.batchDue says so. Never throws: a lost batch costs only the live view.
   */
  private flushLogs(): void {
    const send = this.env.sendLogs;
    if (!send || !this.logs.hasBatch) return;
    try {
      send(this.request.runId, this.logs.takeBatch(performance.now()));
    } catch {
      // every entry is still in the outcome
    }
  }

  private deliver(ctx: QuickJSContext, kit: Kit, reply: ReplyMessage): void {
    const text = newGuestString(ctx, reply.ok ? reply.json : reply.errorJson);
    if (!text) {
      // Its bytes do not fit in the guest's heap: the run is over, as for any allocation.
      this.interrupted = 'memory';
      return;
    }
    const args = [ctx.newNumber(reply.callId), reply.ok ? ctx.true : ctx.false, text, reply.ok && reply.orText ? ctx.true : ctx.false];
    const result = this.segment(() => ctx.callFunction(kit.deliver, ctx.undefined, ...args));
    // deliver settles a promise and returns; it can only fail by a limit, which the caller checks.
    if (result.error) result.error.dispose();
    else result.value.dispose();
    for (const handle of args) handle.dispose();
  }

  private finishWith(kit: Kit, value: QuickJSHandle): Ended {
    this.bodySettled = true;
    const ctx = this.env.instance.context;
    const max = ctx.newNumber(this.limits.maxResultBytes);
    const result = this.segment(() => ctx.callFunction(kit.finish, ctx.undefined, value, max));
    if (result.error) return this.failWith(kit, result.error);
    const limit = this.limitFailure();
    if (limit) return { ok: false, failure: limit };
    const kind = ctx.typeof(result.value);
    if (kind === 'undefined') return { ok: true, valueJson: undefined };
    if (kind === 'number') return { ok: false, failure: outputFailure(this.limits, ctx.getNumber(result.value)) };
    const json = ctx.getString(result.value);
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > this.limits.maxResultBytes) return { ok: false, failure: outputFailure(this.limits, bytes) };
    return { ok: true, valueJson: json };
  }

  /** The run ends with `error` (a thrown or rejected guest value, or an engine interrupt). */
  private failWith(kit: Kit, error: QuickJSHandle): Ended {
    this.bodySettled = true;
    const limit = this.limitFailure();
    if (limit) return { ok: false, failure: limit };
    const ctx = this.env.instance.context;
    const max = ctx.newNumber(this.limits.maxResultBytes);
    const described = this.segment(() => ctx.callFunction(kit.describe, ctx.undefined, error, max));
    const limitAfter = this.limitFailure();
    if (limitAfter) return { ok: false, failure: limitAfter };
    if (described.error || ctx.typeof(described.value) !== 'string') {
      return { ok: false, failure: { code: 'GUEST_THREW', message: 'the program threw a value that cannot be described' } };
    }
    const info = parseErrorInfo(ctx.getString(described.value));
    return { ok: false, failure: thrownFailure(info, this.request.filename, this.limits, this.stackBytes, this.request.library) };
  }

  /** Runs guest code, counting its time as the guest's CPU time. */
  private segment<T>(work: () => T): T {
    this.segmentStart = performance.now();
    this.env.cpuClock.enter(this.cpuUsedMs);
    try {
      return work();
    } finally {
      this.cpuUsedMs += performance.now() - this.segmentStart;
      this.segmentStart = -1;
      this.env.cpuClock.leave(this.cpuUsedMs);
    }
  }

  // Called by QuickJS every few thousand operations while guest code runs. Once it has said yes,
  // it keeps saying yes: the interrupt error is uncatchable, and nothing may run after it.
  private readonly shouldInterrupt = (): boolean => {
    if (this.interrupted) return true;
    const now = performance.now();
    const current = this.segmentStart >= 0 ? now - this.segmentStart : 0;
    if (this.env.instance.memory.exhausted) this.interrupted = 'memory';
    else if (this.cpuUsedMs + current > this.limits.cpuMs) this.interrupted = 'cpu';
    else if (now > this.deadline) this.interrupted = 'wall';
    return this.interrupted !== undefined;
  };

  /** The limit this run has hit, if any (checked after every stretch of guest code). */
  private limitFailure(): RunFailure | undefined {
    if (this.interrupted === 'memory' || this.env.instance.memory.exhausted) return memoryFailure(this.limits);
    if (this.interrupted === 'cpu' || this.cpuUsedMs > this.limits.cpuMs) return cpuFailure(this.limits);
    if (this.interrupted === 'wall' || this.timedOut || performance.now() > this.deadline) return wallFailure(this.limits);
    return undefined;
  }

  private hostFault(fault: unknown): RunFailure {
    const limit = this.limitFailure();
    if (limit) return limit;
    if (fault instanceof RangeError && /call stack/i.test(fault.message)) return stackFailure(this.stackBytes);
    const name = fault instanceof Error ? fault.name : 'Error';
    const message = fault instanceof Error ? fault.message : String(fault);
    return crashFailure(`the sandbox engine failed during the run (${name}: ${message})`);
  }
}
