// Filtering and rendering audit records for `cemcp audit`: by session, server, tool, flag, outcome
// and time (ISO dates or relative spans like 15m, 2h, 7d). Pure; imported by cli/ via index.ts.
import { UsageError, type Principal } from '../common/index.js';
import type { AuditRecord } from './record.js';

export interface AuditFilter {
  /** A session id or its prefix. */
  readonly session?: string | undefined;
  /** A principal's subject, exactly ("local" for sessions without authentication). */
  readonly principal?: string | undefined;
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
    if (filter.principal !== undefined && (r.session.principal?.subject ?? 'local') !== filter.principal) return false;
    if (filter.ok !== undefined && r.ok !== filter.ok) return false;
    const names = operationsOf(r);
    if (filter.server && !names.some(([server]) => server === filter.server)) return false;
    if (filter.tool && !names.some(([server, tool]) => tool === filter.tool || `${server}.${tool}` === filter.tool)) return false;
    if (filter.flag && !r.flags.some((f) => f.kind === filter.flag)) return false;
    return true;
  });
  return filter.limit !== undefined ? out.slice(-filter.limit) : out;
}

/** The operations a record names: its call sample and its per-operation counts. */
function operationsOf(r: AuditRecord): [string, string][] {
  const fromCounts = Object.keys(r.operations ?? {}).map((name): [string, string] => {
    const dot = name.indexOf('.');
    return dot === -1 ? [name, ''] : [name.slice(0, dot), name.slice(dot + 1)];
  });
  return [...r.calls.map((c): [string, string] => [c.server, c.tool]), ...fromCounts];
}

/** The record whose id is `id` or starts with it; an error names an ambiguous or unknown prefix. */
export function findRecord(records: readonly AuditRecord[], id: string): AuditRecord {
  const hits = records.filter((r) => r.id.startsWith(id));
  if (hits.length === 1) return hits[0]!;
  throw new UsageError('USAGE', hits.length ? `audit show: "${id}" matches ${hits.length} records; give more of the id` : `audit show: no record with id "${id}"`);
}

// C0 and C1 controls (ESC, CSI, BEL, backspace, carriage return, …), DEL, and the bidirectional
// overrides and isolates that reorder what a terminal shows ("Trojan Source"). Records carry text
// from programs, upstreams and clients: none of it may drive the reader's terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (c: string): string => {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** Text for one terminal line: every control character (newlines too) shown as an escape. */
function escapeTerminal(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** A program's text for the terminal: newlines and tabs kept, every other control shown as an escape. */
function escapeCodeBlock(text: string): string {
  return text.replace(CONTROL_BUT_LAYOUT, escapeOne);
}

/** JSON for a terminal: JSON.stringify escapes C0 controls; this escapes C1 and bidi controls too (still valid JSON). */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line per record: time, id, session, outcome, calls, duration, flags. */
export function formatRecordLine(r: AuditRecord): string {
  return escapeTerminal(recordLine(r));
}

function recordLine(r: AuditRecord): string {
  const outcome = r.ok ? 'ok ' : (r.errorCode ?? 'error');
  const calls = [...new Set([...r.calls.map((c) => `${c.server}.${c.tool}`), ...Object.keys(r.operations ?? {})])];
  const shownCalls = calls.length > 3 ? `${calls.slice(0, 3).join(',')},+${calls.length - 3}` : calls.join(',');
  const flags = r.flags.length ? ` flags=${[...new Set(r.flags.map((f) => f.kind))].join(',')}` : '';
  const total = r.callCounts ? Object.values(r.callCounts).reduce((x, y) => x + y, 0) : r.calls.length;
  const principal = r.session.principal ? `  principal=${r.session.principal.subject}` : '';
  return `${r.time}  ${r.id.slice(0, 8)}  session=${r.session.id.slice(0, 12)}${principal}  ${outcome}  ${total} calls ${Math.round(r.durationMs)}ms${flags}${shownCalls ? `  ${shownCalls}` : ''}`;
}

/** A whole record for a human: header, calls, flags, then the code; control characters escaped. */
export function formatRecord(r: AuditRecord): string {
  return [...recordHeader(r).map(escapeTerminal), '', escapeCodeBlock(r.code)].join('\n');
}

function recordHeader(r: AuditRecord): string[] {
  const client = r.session.client ? ` client=${r.session.client.name}@${r.session.client.version}` : '';
  const pii = Object.entries(r.pii.tokenized).map(([k, n]) => `${k}=${n}`).join(' ');
  const lines = [
    `id        ${r.id}`,
    `time      ${r.time} (${Math.round(r.durationMs)} ms${r.cpuMs !== undefined ? `, cpu ${Math.round(r.cpuMs)} ms` : ''})`,
    `session   ${r.session.id} (${r.session.transport})${client}`,
    ...(r.session.principal ? [`principal ${describePrincipal(r.session.principal)}`] : []),
    `outcome   ${r.ok ? 'ok' : r.errorCode ?? 'error'}${r.limitsHit.length ? `; limits hit: ${r.limitsHit.join(', ')}` : ''}`,
    `tokens    in ${r.tokens.in}, out ${r.tokens.out}`,
    `pii       tokenized ${pii || 'none'}; restored ${r.pii.restored}`,
    `code      sha256 ${r.codeSha256}${r.redacted ? ' (code below is redacted)' : ''}`,
  ];
  if (r.error) lines.push(`error     ${r.error.split('\n')[0]}`);
  lines.push(`calls     ${callsLine(r)}`);
  for (const c of r.calls) {
    const fate = c.fate ?? (c.ok ? 'ok' : 'error');
    lines.push(`  ${c.server}.${c.tool}  ${fate}${c.errorCode ? ` ${c.errorCode}` : ''}  ${c.durationMs.toFixed(1)} ms  args ${c.argumentBytes} B  result ${c.resultBytes} B`);
  }
  if (r.callsOmitted) lines.push(`  … ${r.callsOmitted} more calls between these are counted above, not listed`);
  lines.push(`flags     ${r.flags.length}${r.flagsOmitted ? ` (+${r.flagsOmitted} not listed)` : ''}`);
  for (const f of r.flags) lines.push(`  [${f.kind}] ${f.message}`);
  if (r.codeTruncated) lines.push('code      cut to cemcp.audit.maxCodeChars; the sha256 above is of the whole program');
  return lines;
}

/** `svc-reports (oauth, client reports-app, issuer https://as.example; scopes crm:read crm:write)`. */
function describePrincipal(p: Principal): string {
  const about = [p.source, ...(p.clientId !== undefined ? [`client ${p.clientId}`] : []), ...(p.issuer !== undefined ? [`issuer ${p.issuer}`] : [])];
  return `${p.subject} (${about.join(', ')}; scopes ${p.scopes.length ? p.scopes.join(' ') : 'none'})`;
}

/** `12 (ok 3, cancelled 2, dropped 7; refused 9: LIMIT_TOOL_CALLS 9)`, or the listed count for older records. */
function callsLine(r: AuditRecord): string {
  const counts = r.callCounts;
  if (!counts) return String(r.calls.length);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const parts = Object.entries(counts).filter(([fate, n]) => n > 0 && fate !== 'refused').map(([fate, n]) => `${fate} ${n}`);
  const refused = counts.refused ? `; refused ${counts.refused}${r.refused ? `: ${Object.entries(r.refused).map(([code, n]) => `${code} ${n}`).join(', ')}` : ''}` : '';
  return `${total}${total ? ` (${parts.join(', ') || 'none listed'}${refused})` : ''}`;
}
