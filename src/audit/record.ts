// The audit record of one execute, and the flags it may carry. Plain data, JSON-safe, one line of
// the JSONL store each. Secrets and PII are redacted before a record is built (runtime/ does it).
// Imported by every file in audit/ and, through index.ts, by runtime/ and cli/.
import { createHash } from 'node:crypto';
import type { Principal } from '../common/index.js';

export type FlagKind =
  | 'probe' // the program reaches for process/require/eval/Function/constructor chains (static check)
  | 'destructive' // a call to a tool annotated destructiveHint
  | 'shell' // a call to a shell/exec-like tool
  | 'call-volume' // more tool calls in one run than the threshold
  | 'data-volume' // more bytes through tool calls in one run than the threshold
  | 'policy' // a call refused by policy or by the user
  | 'egress-blocked' // a guest fetch refused by the egress allowlist
  | 'audit-volume'; // the audit folder holds more than its volume budget, all within retention: nothing was deleted

export const FLAG_KINDS: readonly FlagKind[] = ['probe', 'destructive', 'shell', 'call-volume', 'data-volume', 'policy', 'egress-blocked', 'audit-volume'];

export interface Flag {
  readonly kind: FlagKind;
  /** What happened, naming code lines and operations, never argument values. */
  readonly message: string;
  /** The operation concerned (`server.tool`), when there is one. */
  readonly call?: string;
  /** The program's line, for static findings. */
  readonly line?: number;
}

/**
 * What became of one call the run started: `ok`/`error` (it reached the upstream, or the egress,
 * and answered), `refused` (the gateway refused it: limit, arguments, policy), `dropped` (the run
 * ended before it reached the upstream), `cancelled` (in flight when the run ended; cancelled).
 */
export type CallFate = 'ok' | 'error' | 'refused' | 'dropped' | 'cancelled';

export interface AuditCall {
  readonly server: string;
  readonly tool: string;
  readonly ok: boolean;
  /** Absent in records written before fates existed (read them as ok/error by `ok`). */
  readonly fate?: CallFate;
  readonly errorCode?: string;
  readonly durationMs: number;
  readonly argumentBytes: number;
  readonly resultBytes: number;
}

export interface AuditSession {
  /** cemcp's id of the MCP session (one per Server), or `cli-…` for one-off runs. */
  readonly id: string;
  readonly transport: string;
  /** The client's own name and version from initialize. */
  readonly client?: { readonly name: string; readonly version: string };
  /** Who the session acts for (HTTP with authentication); absent: a local session. */
  readonly principal?: Principal;
}

export interface AuditRecord {
  readonly v: 1;
  readonly id: string;
  /** Start of the run, ISO 8601. */
  readonly time: string;
  readonly durationMs: number;
  readonly session: AuditSession;
  /** The program as sent, with secrets and PII redacted unless redaction is off. */
  readonly code: string;
  /** SHA-256 of the program as sent (before redaction). */
  readonly codeSha256: string;
  readonly redacted: boolean;
  readonly ok: boolean;
  readonly errorCode?: string;
  /** The start of the error text the model saw (already tokenized), redacted. */
  readonly error?: string;
  /** Codes of the limits that ended or cut the run (SANDBOX_CPU, LIMIT_TOOL_CALLS, SURFACE_TOKENS, …). */
  readonly limitsHit: readonly string[];
  /**
   * A bounded sample of the calls that were not refused, in start order: the first and the last
   * ones (`cemcp.audit.sample`); `callsOmitted` says how many between them are not listed.
   */
  readonly calls: readonly AuditCall[];
  /** Every call the run started, by fate (refused ones are counted, never listed). */
  readonly callCounts?: Readonly<Record<CallFate, number>>;
  /** Refused calls by error code (LIMIT_TOOL_CALLS, POLICY_DENIED, ARGUMENT_INVALID, RUN_ENDED, …). */
  readonly refused?: Readonly<Record<string, number>>;
  /** Calls by `server.tool`, refused ones within the call limit included (at most MAX_OPERATIONS names; the rest under `…`). */
  readonly operations?: Readonly<Record<string, number>>;
  readonly callsOmitted?: number;
  /** The stored code was cut to `cemcp.audit.maxCodeChars` (codeSha256 is of the whole program). */
  readonly codeTruncated?: boolean;
  /** Flags past MAX_FLAGS are counted here, not listed. */
  readonly flagsOmitted?: number;
  readonly tokens: { readonly in: number; readonly out: number };
  readonly pii: { readonly tokenized: Readonly<Record<string, number>>; readonly restored: number };
  readonly flags: readonly Flag[];
  readonly cpuMs?: number;
}

/** Where audit records go. `write` never throws; a store reports its own failures. */
export interface AuditSink {
  write(record: AuditRecord): void;
}

export function hashCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/** An in-memory sink, for tests and for callers that read records back themselves. */
export function createMemoryAuditSink(): AuditSink & { readonly records: AuditRecord[] } {
  const records: AuditRecord[] = [];
  return { records, write: (record) => void records.push(record) };
}
