// Filtering and rendering audit records for `cemcp audit`: by session, server, tool, flag, outcome
// and time (ISO dates or relative spans like 15m, 2h, 7d). Pure; imported by cli/ via index.ts.
import { UsageError } from '../common/index.js';
import type { AuditRecord } from './record.js';

export interface AuditFilter {
  /** A session id or its prefix. */
  readonly session?: string | undefined;
  readonly server?: string | undefined;
  /** A tool name, or `server.tool`. */
  readonly tool?: string | undefined;
  readonly flag?: string | undefined;
  readonly ok?: boolean | undefined;
  /** Epoch milliseconds, inclusive. */
  readonly sinceMs?: number | undefined;
  readonly untilMs?: number | undefined;
  /** Keep the most recent N after filtering. */
  readonly limit?: number | undefined;
}

const SPAN = /^(\d+)(s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `2h` (two hours before `nowMs`), `2024-05-01`, or a full ISO time, as epoch milliseconds. */
export function parseTimeSpec(spec: string, nowMs: number, flag: string): number {
  const span = SPAN.exec(spec.trim());
  if (span) return nowMs - Number(span[1]) * UNIT_MS[span[2]!]!;
  const ms = Date.parse(spec);
  if (Number.isNaN(ms)) throw new UsageError('USAGE', `${flag}: expected an ISO date/time or a span like 15m, 2h, 7d; got "${spec}"`);
  return ms;
}

export function filterRecords(records: readonly AuditRecord[], filter: AuditFilter): AuditRecord[] {
  const out = records.filter((r) => {
    const ms = Date.parse(r.time);
    if (filter.sinceMs !== undefined && ms < filter.sinceMs) return false;
    if (filter.untilMs !== undefined && ms > filter.untilMs) return false;
    if (filter.session && !r.session.id.startsWith(filter.session)) return false;
    if (filter.ok !== undefined && r.ok !== filter.ok) return false;
    if (filter.server && !r.calls.some((c) => c.server === filter.server)) return false;
    if (filter.tool && !r.calls.some((c) => c.tool === filter.tool || `${c.server}.${c.tool}` === filter.tool)) return false;
    if (filter.flag && !r.flags.some((f) => f.kind === filter.flag)) return false;
    return true;
  });
  return filter.limit !== undefined ? out.slice(-filter.limit) : out;
}

/** The record whose id is `id` or starts with it; an error names an ambiguous or unknown prefix. */
export function findRecord(records: readonly AuditRecord[], id: string): AuditRecord {
  const hits = records.filter((r) => r.id.startsWith(id));
  if (hits.length === 1) return hits[0]!;
  throw new UsageError('USAGE', hits.length ? `audit show: "${id}" matches ${hits.length} records; give more of the id` : `audit show: no record with id "${id}"`);
}

/** One line per record: time, id, session, outcome, calls, duration, flags. */
export function formatRecordLine(r: AuditRecord): string {
  const outcome = r.ok ? 'ok ' : (r.errorCode ?? 'error');
  const calls = [...new Set(r.calls.map((c) => `${c.server}.${c.tool}`))];
  const shownCalls = calls.length > 3 ? `${calls.slice(0, 3).join(',')},+${calls.length - 3}` : calls.join(',');
  const flags = r.flags.length ? ` flags=${[...new Set(r.flags.map((f) => f.kind))].join(',')}` : '';
  return `${r.time}  ${r.id.slice(0, 8)}  session=${r.session.id.slice(0, 12)}  ${outcome}  ${r.calls.length} calls ${Math.round(r.durationMs)}ms${flags}${shownCalls ? `  ${shownCalls}` : ''}`;
}

/** A whole record for a human: header, calls, flags, then the code. */
export function formatRecord(r: AuditRecord): string {
  const client = r.session.client ? ` client=${r.session.client.name}@${r.session.client.version}` : '';
  const pii = Object.entries(r.pii.tokenized).map(([k, n]) => `${k}=${n}`).join(' ');
  const lines = [
    `id        ${r.id}`,
    `time      ${r.time} (${Math.round(r.durationMs)} ms${r.cpuMs !== undefined ? `, cpu ${Math.round(r.cpuMs)} ms` : ''})`,
    `session   ${r.session.id} (${r.session.transport})${client}`,
    `outcome   ${r.ok ? 'ok' : r.errorCode ?? 'error'}${r.limitsHit.length ? `; limits hit: ${r.limitsHit.join(', ')}` : ''}`,
    `tokens    in ${r.tokens.in}, out ${r.tokens.out}`,
    `pii       tokenized ${pii || 'none'}; restored ${r.pii.restored}`,
    `code      sha256 ${r.codeSha256}${r.redacted ? ' (code below is redacted)' : ''}`,
  ];
  if (r.error) lines.push(`error     ${r.error.split('\n')[0]}`);
  lines.push(`calls     ${r.calls.length}`);
  for (const c of r.calls) {
    lines.push(`  ${c.server}.${c.tool}  ${c.ok ? 'ok' : c.errorCode ?? 'error'}  ${c.durationMs.toFixed(1)} ms  args ${c.argumentBytes} B  result ${c.resultBytes} B`);
  }
  lines.push(`flags     ${r.flags.length}`);
  for (const f of r.flags) lines.push(`  [${f.kind}] ${f.message}`);
  lines.push('', r.code);
  return lines.join('\n');
}
