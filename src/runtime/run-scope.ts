// The call scope of one run: every tool call (and guest fetch) the run starts is registered here,
// and every invoker gets the scope's AbortSignal. Closing the scope when the run ends, for any
// reason, drops the calls that have not reached the upstream, aborts those in flight (MCP
// `notifications/cancelled`, aborted HTTP requests), waits briefly for them to settle and answers
// every call's fate. After close, nothing more can reach an upstream. Used by bridge.ts and execute.ts.
import type { AuditCall, CallFate } from '../audit/index.js';
import type { BridgeReply } from '../sandbox/index.js';

/** One call as the run's records keep it; `call` is the form the program wrote (`ns.fn`). */
export interface ToolCallRecord extends AuditCall {
  readonly call: string;
}

/** How many calls ended in each fate; refused ones also by error code. */
export interface CallTally {
  readonly counts: Readonly<Record<CallFate, number>>;
  readonly refusedByCode: Readonly<Record<string, number>>;
}

/** A call between begin and its end; `sent` once it was handed to the invoker. */
export interface OpenCall {
  /** Starts the upstream part of the call (every gateway check passed); undefined, and nothing started, once the run has ended. */
  send<T>(start: () => Promise<T>): Promise<T> | undefined;
  /** Records the reply; answers it unless the run ended meanwhile (then the fate set at close stands). */
  finish(reply: BridgeReply, resultBytes: number): BridgeReply;
}

export interface RunScopeOptions {
  /** The execute request's own signal (client cancel): aborts the scope too. */
  readonly parent?: AbortSignal | undefined;
  /** How long close waits for aborted calls to settle. */
  readonly settleMs?: number;
  /** Records kept in memory (calls past it are counted only); refusals past the call limit never are. */
  readonly maxRecords?: number;
  /** A call was registered (before its checks), with the name the program wrote (`ns.fn`). */
  readonly onStart?: (call: string) => void;
  /** A call's fate is known, with its record. */
  readonly onCall?: (record: ToolCallRecord) => void;
}

export const RUN_ENDED = 'RUN_ENDED';
const DEFAULT_SETTLE_MS = 1_000;
const DEFAULT_MAX_RECORDS = 10_000;

interface Entry {
  readonly call: string;
  readonly server: string;
  readonly tool: string;
  readonly argumentBytes: number;
  readonly startedAt: number;
  fate?: CallFate;
  errorCode?: string;
  resultBytes: number;
  durationMs: number;
  work?: Promise<unknown>;
}

export class RunScope {
  private readonly controller = new AbortController();
  private readonly entries: Entry[] = [];
  private readonly open = new Set<Entry>();
  private readonly counts: Record<CallFate, number> = { ok: 0, error: 0, refused: 0, dropped: 0, cancelled: 0 };
  private readonly refusedByCode: Record<string, number> = Object.create(null) as Record<string, number>;
  private closed = false;
  private readonly detach: () => void;

  constructor(private readonly options: RunScopeOptions = {}) {
    const parent = options.parent;
    const onAbort = () => this.controller.abort(parent?.reason);
    if (parent?.aborted) onAbort();
    else parent?.addEventListener('abort', onAbort, { once: true });
    this.detach = () => parent?.removeEventListener('abort', onAbort);
  }

  /** Aborted when the run ends or the client cancels; every invoker takes it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Every call, including those answered after the run ended and refusals past the limit, is counted. */
  get tally(): CallTally {
    return { counts: { ...this.counts }, refusedByCode: { ...this.refusedByCode } };
  }

  /** The records kept, in the order the calls started. */
  get records(): ToolCallRecord[] {
    return this.entries.map(toRecord);
  }

  /** A call the gateway refuses outright and only counts (past the call limit, after the run ended). */
  count(code: string, times = 1): void {
    this.counts.refused += times;
    this.refusedByCode[code] = (this.refusedByCode[code] ?? 0) + times;
  }

  begin(call: string, server: string, tool: string, argumentBytes: number): OpenCall {
    const entry: Entry = { call, server, tool, argumentBytes, startedAt: performance.now(), resultBytes: 0, durationMs: 0 };
    if (this.entries.length < (this.options.maxRecords ?? DEFAULT_MAX_RECORDS)) this.entries.push(entry);
    this.open.add(entry);
    this.options.onStart?.(call);
    return {
      send: (start) => {
        if (this.closed || this.controller.signal.aborted) return undefined;
        const work = start();
        entry.work = work;
        return work;
      },
      finish: (reply, resultBytes) => {
        if (entry.fate === undefined) {
          const aborted = this.controller.signal.aborted;
          const fate: CallFate = reply.ok ? 'ok'
            : entry.work ? (aborted ? 'cancelled' : 'error')
            : aborted ? 'dropped' : 'refused';
          this.settle(entry, fate, reply.ok ? undefined : reply.error.code, resultBytes);
        }
        return this.closed ? endedReply() : reply;
      },
    };
  }

  /**
   * Ends the scope: calls not yet at the upstream are dropped, calls in flight cancelled (their
   * invokers see the abort), then waits up to settleMs for those to settle. Idempotent.
   */
  async close(): Promise<CallTally> {
    if (!this.closed) {
      this.closed = true;
      const inFlight: Promise<unknown>[] = [];
      for (const entry of [...this.open]) {
        if (entry.work) inFlight.push(entry.work);
        this.settle(entry, entry.work ? 'cancelled' : 'dropped', RUN_ENDED, 0);
      }
      this.controller.abort(new Error('the run ended'));
      this.detach();
      if (inFlight.length) await settleWithin(inFlight, this.options.settleMs ?? DEFAULT_SETTLE_MS);
    }
    return this.tally;
  }

  private settle(entry: Entry, fate: CallFate, errorCode: string | undefined, resultBytes: number): void {
    entry.fate = fate;
    if (errorCode !== undefined) entry.errorCode = errorCode;
    entry.resultBytes = resultBytes;
    entry.durationMs = performance.now() - entry.startedAt;
    this.open.delete(entry);
    this.counts[fate] += 1;
    if (fate === 'refused') this.refusedByCode[errorCode ?? 'REFUSED'] = (this.refusedByCode[errorCode ?? 'REFUSED'] ?? 0) + 1;
    this.options.onCall?.(toRecord(entry));
  }
}

function toRecord(entry: Entry): ToolCallRecord {
  const fate = entry.fate ?? 'dropped';
  return {
    call: entry.call,
    server: entry.server,
    tool: entry.tool,
    ok: fate === 'ok',
    fate,
    ...(entry.errorCode !== undefined ? { errorCode: entry.errorCode } : {}),
    durationMs: entry.durationMs,
    argumentBytes: entry.argumentBytes,
    resultBytes: entry.resultBytes,
  };
}

/** What a call answered after its run ended gets: nobody reads it, and it carries nothing. */
function endedReply(): BridgeReply {
  return { ok: false, error: { code: RUN_ENDED, message: 'the run has ended' } };
}

async function settleWithin(work: readonly Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(work),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
