// Per-run figures of the executes a bench session made, read from the gateway's audit records (the
// JSONL store every `cemcp serve` writes, one record per execute, written before execute answers),
// and their sums. Pure but for readRunAccounting; imported by the bench sessions, runner and tests.
import { readAuditRecords, type AuditRecord } from '../src/audit/index.js';

export interface RunAccounting {
  /** `ok`, or the run's error code. */
  readonly status: string;
  /** Tokens of the program as sent, and of the text surfaced to the model. */
  readonly tokensIn: number;
  readonly tokensOut: number;
  /** Upstream calls the program started that reached the host's invoker (refused ones are not counted). */
  readonly toolCalls: number;
  /** The whole run, from the audit record's durationMs. */
  readonly wallMs: number;
  readonly cpuMs?: number;
}

export interface AccountingSummary {
  readonly runs: number;
  readonly failed: number;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly toolCalls: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

export function accountingOf(record: AuditRecord): RunAccounting {
  const counts = record.callCounts;
  const toolCalls = counts
    ? Object.entries(counts).reduce((sum, [fate, n]) => sum + (fate === 'refused' ? 0 : n), 0)
    : record.calls.length + (record.callsOmitted ?? 0);
  return {
    status: record.ok ? 'ok' : record.errorCode ?? 'error',
    tokensIn: record.tokens.in,
    tokensOut: record.tokens.out,
    toolCalls,
    wallMs: record.durationMs,
    ...(record.cpuMs !== undefined ? { cpuMs: record.cpuMs } : {}),
  };
}

/** Every run recorded in an audit folder, in time order. */
export function readRunAccounting(auditDir: string): RunAccounting[] {
  return readAuditRecords(auditDir).map(accountingOf);
}

export function summarizeRuns(runs: readonly RunAccounting[]): AccountingSummary {
  const sum = (pick: (r: RunAccounting) => number) => Math.round(runs.reduce((s, r) => s + pick(r), 0));
  return {
    runs: runs.length,
    failed: runs.filter((r) => r.status !== 'ok').length,
    tokensIn: sum((r) => r.tokensIn),
    tokensOut: sum((r) => r.tokensOut),
    toolCalls: sum((r) => r.toolCalls),
    wallMs: sum((r) => r.wallMs),
    cpuMs: sum((r) => r.cpuMs ?? 0),
  };
}
