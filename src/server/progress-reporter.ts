// Turns one execute's live events (runtime RunEvents) into what its MCP client is sent while the
// run goes on: progress notifications as calls start and end plus a heartbeat (only when the
// request carried a progressToken), and console lines as logging messages, bounded per run and
// rate-limited. Knows nothing of the SDK: mcp-server.ts supplies the sink. Timers die at close().
import type { LogEntry, RunEvents, ToolCallRecord } from '../runtime/index.js';

export type ConsoleLevel = 'debug' | 'info' | 'warning' | 'error';

/** Where the notifications go; each send may fail (a closed client), which is ignored. */
export interface ProgressSink {
  /** `notifications/progress` for the request's token; absent when the request has none. */
  readonly progress?: (progress: number, message: string) => Promise<void> | void;
  /** `notifications/message` with the console logger. */
  readonly log: (level: ConsoleLevel, text: string) => Promise<void> | void;
}

export interface ProgressReporterOptions {
  /** A progress notification at least this often while the run goes on. */
  readonly heartbeatMs: number;
  /** Progress notifications per second (burst the same); more are merged into the next one. */
  readonly progressPerSecond: number;
  /** Stream console lines at all. */
  readonly console: boolean;
  /** Console lines sent per second (burst the same); lines over the rate are not streamed. */
  readonly consoleLinesPerSecond: number;
  /** Console lines streamed per run, and their UTF-8 bytes. */
  readonly maxConsoleLines: number;
  readonly maxConsoleBytes: number;
  /** Milliseconds since some epoch; Date.now unless a test says otherwise. */
  readonly now?: () => number;
}

/** The defaults of cemcp.progress in config/schema.ts (a test keeps the two equal). */
export const DEFAULT_PROGRESS_OPTIONS: ProgressReporterOptions = {
  heartbeatMs: 3_000,
  progressPerSecond: 10,
  console: true,
  consoleLinesPerSecond: 20,
  maxConsoleLines: 200,
  maxConsoleBytes: 64 * 1024,
};

const LEVELS: Readonly<Record<LogEntry['level'], ConsoleLevel>> = { log: 'info', info: 'info', warn: 'warning', error: 'error', debug: 'debug' };

export class ProgressReporter implements RunEvents {
  private readonly options: ProgressReporterOptions;
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly progressBucket: TokenBucket;
  private readonly logBucket: TokenBucket;
  private sequence = 0;
  private started = 0;
  private finished = 0;
  /** Events not sent yet for the progress rate: how many, and the latest message. */
  private merged: { count: number; message: string } | undefined;
  private mergeTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private logsSent = 0;
  private logBytes = 0;
  private withheld = 0;
  private closed = false;

  constructor(private readonly sink: ProgressSink, options: Partial<ProgressReporterOptions> = {}) {
    this.options = { ...DEFAULT_PROGRESS_OPTIONS, ...options };
    this.now = this.options.now ?? Date.now;
    this.startedAt = this.now();
    this.progressBucket = new TokenBucket(this.options.progressPerSecond, this.now);
    this.logBucket = new TokenBucket(this.options.consoleLinesPerSecond, this.now);
    this.armHeartbeat();
  }

  callStarted(call: string): void {
    this.started += 1;
    this.event(`${call} started`);
  }

  callFinished(record: ToolCallRecord): void {
    this.finished += 1;
    const ms = Math.round(record.durationMs);
    const how = record.fate === 'ok' ? `done in ${ms} ms`
      : record.fate === 'error' ? `failed after ${ms} ms${record.errorCode ? ` (${record.errorCode})` : ''}`
      : `${record.fate}${record.errorCode ? ` (${record.errorCode})` : ''}`;
    this.event(`${record.call} ${how}`);
  }

  log(entry: LogEntry): void {
    if (this.closed || !this.options.console) return;
    const bytes = Buffer.byteLength(entry.text, 'utf8');
    if (this.logsSent >= this.options.maxConsoleLines || this.logBytes + bytes > this.options.maxConsoleBytes || !this.logBucket.take()) {
      this.withheld += 1;
      return;
    }
    this.logsSent += 1;
    this.logBytes += bytes;
    this.send(() => this.sink.log(LEVELS[entry.level], entry.text));
  }

  /** Sends what the rate held back, says how many lines were not streamed, stops every timer. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.heartbeat);
    clearTimeout(this.mergeTimer);
    if (this.merged) this.sendProgress(this.mergedMessage());
    if (this.withheld > 0) {
      const text = `${this.withheld} console line${this.withheld === 1 ? ' was' : 's were'} not streamed (live output is limited to `
        + `${this.options.maxConsoleLines} lines, ${this.options.maxConsoleBytes} bytes, ${this.options.consoleLinesPerSecond} lines/s per run); the execute result carries the console output`;
      this.send(() => this.sink.log('info', text));
    }
  }

  private event(message: string): void {
    if (this.closed || !this.sink.progress) return;
    if (!this.merged && this.progressBucket.take()) {
      this.sendProgress(message);
      return;
    }
    this.merged = { count: (this.merged?.count ?? 0) + 1, message };
    // Within 1 / rate seconds a token is back: nothing waits longer than that.
    this.mergeTimer ??= setTimeout(() => {
      this.mergeTimer = undefined;
      if (this.closed || !this.merged) return;
      this.progressBucket.take();
      this.sendProgress(this.mergedMessage());
    }, Math.ceil(this.progressBucket.msUntilNext()));
    this.mergeTimer.unref?.();
  }

  private mergedMessage(): string {
    const merged = this.merged!;
    this.merged = undefined;
    return merged.count === 1 ? merged.message : `${merged.message} (and ${merged.count - 1} more call events)`;
  }

  private sendProgress(message: string): void {
    const progress = this.sink.progress;
    if (!progress) return;
    this.sequence += 1;
    const sequence = this.sequence;
    this.send(() => progress(sequence, message));
    this.armHeartbeat();
  }

  private armHeartbeat(): void {
    if (this.closed || !this.sink.progress) return;
    clearTimeout(this.heartbeat);
    this.heartbeat = setTimeout(() => {
      if (this.closed) return;
      const seconds = Math.round((this.now() - this.startedAt) / 1_000);
      this.sendProgress(`running for ${seconds} s; ${this.started} call${this.started === 1 ? '' : 's'} started, ${this.finished} ended`);
    }, this.options.heartbeatMs);
    this.heartbeat.unref?.();
  }

  private send(work: () => Promise<void> | void): void {
    try {
      const sent = work();
      if (sent) sent.catch(() => undefined);
    } catch {
      // a client that went away misses its live view; the run goes on
    }
  }
}

/** `rate` tokens per second, at most `rate` stored. */
class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly rate: number, private readonly now: () => number) {
    this.tokens = rate;
    this.last = now();
  }

  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  msUntilNext(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.rate) * 1_000;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1_000) * this.rate);
    this.last = now;
  }
}
