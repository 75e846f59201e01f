// Privacy and audit around one execute, the parts that belong to the run rather than to a call
// (each call's go through pipeline/): the session's PII map for the run, the run's flags, the
// tokenization of what is surfaced, and the audit record with its flags at the end. Also opens the
// OpenTelemetry spans (telemetry.ts), inert unless an SDK is registered. Used by execute.ts only;
// every part is optional, so a runtime without them behaves as before.
import { randomUUID } from 'node:crypto';
import {
  capCode, capFlags, checkProgram, countOperations, DEFAULT_AUDIT_BOUNDS, flagVolume, hashCode, sampleCalls,
  type AuditBounds, type AuditCall, type AuditRecord, type AuditSession, type AuditSink, type Flag, type Policy, type VolumeThresholds,
} from '../audit/index.js';
import type { Principal, RunRecords } from '../common/index.js';
import type { PiiRun, PiiSession, Redactor } from '../privacy/index.js';
import type { Confirm } from './pipeline/index.js';
import { RunFlags } from './run-flags.js';
import type { RunEvents } from './run-events.js';
import type { CallTally, ToolCallRecord } from './run-scope.js';
import type { SurfaceInput } from './surface.js';
import { startExecuteTrace } from './telemetry.js';
import type { TranspiledProgram } from './transpile.js';

/** Gateway-wide parts, wired by the composition root from config. */
export interface OversightOptions {
  /** Allow/deny/confirm per server and tool; absent: every call is allowed. */
  readonly policy?: Policy;
  /** Where audit records go; absent: none are kept (flags are still computed and sent). */
  readonly audit?: AuditSink;
  /** Redacts secrets and PII in audit records; absent: records keep the code as sent. */
  readonly redact?: Redactor;
  /** Thresholds of the call- and data-volume flags; absent: no volume flags. */
  readonly flagThresholds?: VolumeThresholds;
  /** Size bounds of each audit record (call sample, program text); absent: DEFAULT_AUDIT_BOUNDS. */
  readonly auditBounds?: AuditBounds;
}

/** Per-call context: who runs the program, with which session's PII map. */
export interface ExecuteContext {
  readonly session?: AuditSession;
  /** The session's PII map; absent: nothing is tokenized or restored. */
  readonly pii?: PiiSession;
  /** Asks the person at the client to allow a call; absent when the client cannot be asked. */
  readonly confirm?: Confirm;
  /** Receives the run's flags once it ended (e.g. to send them as MCP logging notifications). */
  readonly onFlags?: (flags: readonly Flag[], auditId: string) => void;
  /** Told of each call as it starts and ends, and of console lines (PII-tokenized), while the run goes on. */
  readonly events?: RunEvents;
  /** The session's and the gateway's records, for host namespaces (state, handles, skills). */
  readonly records?: RunRecords;
  /** The program's language (execute's `language`); absent: JavaScript or TypeScript. */
  readonly language?: 'javascript' | 'typescript' | 'python';
}

export interface RunSummary {
  readonly ok: boolean;
  readonly text: string;
  readonly errorCode?: string | undefined;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly cut: boolean;
  readonly logsTruncated: boolean;
  /** The records the run's scope kept, in start order (refusals past the call limit are only in `tally`). */
  readonly calls: readonly ToolCallRecord[];
  /** Every call the run started, by fate. */
  readonly tally: CallTally;
  readonly cpuMs?: number | undefined;
}

export interface RunOversight {
  /** The session's PII map for this run; absent when tokenization is off. */
  readonly pii: PiiRun | undefined;
  readonly flags: RunFlags;
  /** Hands each call's record to telemetry (the run scope calls it as each fate is known). */
  onCall(record: ToolCallRecord): void;
  /** Static findings about the program, with the user's line numbers. */
  checkProgram(program: TranspiledProgram): void;
  /** The surface input with PII tokenized in the error, the logs and the value. */
  protect(input: SurfaceInput): SurfaceInput;
  protectText(text: string): string;
  /** Adds volume flags, writes the audit record, hands the flags on; answers the record id and flags. */
  finish(summary: RunSummary): { auditId: string; flags: readonly Flag[] };
}

const LIMIT_CODES = new Set(['SANDBOX_CPU', 'SANDBOX_TIMEOUT', 'SANDBOX_MEMORY', 'SANDBOX_STACK', 'LIMIT_TOOL_CALLS', 'LIMIT_OUTPUT', 'LIMIT_RESULT_SIZE', 'LIMIT_ARGUMENT_SIZE', 'LIMIT_UPSTREAM_BUSY']);
const MAX_ERROR_CHARS = 500;

export function beginOversight(code: string, options: OversightOptions, context: ExecuteContext): RunOversight {
  const startedAt = Date.now();
  const started = performance.now();
  const pii: PiiRun | undefined = context.pii?.beginRun();
  // The principal as the audit record keeps it (claims cut to size), on the spans too.
  const principal = context.session?.principal ? boundPrincipal(context.session.principal, cutSessionText) : undefined;
  const trace = startExecuteTrace(context.session?.id, principal);
  const flags = new RunFlags();
  const addFlag = (flag: Flag): void => flags.add(flag);

  return {
    pii,
    flags,
    onCall: (record) => trace.recordCall(record),
    checkProgram(program) {
      checkProgram(program.code, (line, column) => program.toSourcePosition({ line, column })?.line).forEach(addFlag);
    },
    protect(input) {
      if (!pii) return input;
      return {
        ...(input.error !== undefined ? { error: pii.tokenizeText(input.error) } : {}),
        logs: input.logs.map((entry) => ({ level: entry.level, text: pii.tokenizeText(entry.text) })),
        logsTruncated: input.logsTruncated,
        valueJson: input.valueJson === undefined ? undefined : pii.tokenizeJson(input.valueJson),
      };
    },
    protectText: (text) => (pii ? pii.tokenizeText(text) : text),
    finish(summary) {
      const calls: AuditCall[] = summary.calls.map((c) => ({
        server: c.server, tool: c.tool, ok: c.ok, ...(c.fate ? { fate: c.fate } : {}), ...(c.errorCode ? { errorCode: c.errorCode } : {}),
        durationMs: Math.round(c.durationMs * 10) / 10, argumentBytes: c.argumentBytes, resultBytes: c.resultBytes,
      }));
      const total = Object.values(summary.tally.counts).reduce((sum, n) => sum + n, 0);
      if (options.flagThresholds) flagVolume(calls, options.flagThresholds, total).forEach(addFlag);
      for (const c of calls) {
        if (c.errorCode === 'EGRESS_DENIED') addFlag({ kind: 'egress-blocked', message: `a fetch was refused by the egress allowlist`, call: `${c.server}.${c.tool}` });
      }
      const auditId = randomUUID();
      const limitsHit = limitsHitBy(summary);
      if (options.audit) options.audit.write(buildRecord(auditId, code, summary, calls, limitsHit));
      trace.end({ ...summary, toolCalls: total, limitsHit, auditId, flags: flags.list });
      if (flags.list.length) context.onFlags?.(flags.list, auditId);
      return { auditId, flags: flags.list };
    },
  };

  /** Bounded whatever the run did: a sample of the listed calls, counts for the rest (record-bounds.ts). */
  function buildRecord(id: string, source: string, summary: RunSummary, registered: readonly AuditCall[], limitsHit: readonly string[]): AuditRecord {
    // Refused calls are counted (callCounts, refused, operations), never listed.
    const listed = registered.filter((c) => c.fate !== 'refused');
    const redact = options.redact ?? ((text: string) => text);
    const counts = pii?.counts() ?? { tokenized: {}, restored: 0 };
    const bounds = options.auditBounds ?? DEFAULT_AUDIT_BOUNDS;
    const sample = sampleCalls(listed, bounds);
    const kept = capCode(source, bounds);
    const capped = capFlags(flags.list);
    const refused = summary.tally.refusedByCode;
    return {
      v: 1,
      id,
      time: new Date(startedAt).toISOString(),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      session: boundSession(context.session ?? { id: 'unknown', transport: 'embedded' }),
      code: redact(kept.code),
      ...(kept.truncated ? { codeTruncated: true } : {}),
      codeSha256: hashCode(source),
      redacted: options.redact !== undefined,
      ok: summary.ok,
      // Redact, then bound: a cut first would leave half a value the redactor cannot recognize.
      ...(summary.errorCode ? { errorCode: summary.errorCode, error: redact(summary.text).slice(0, MAX_ERROR_CHARS) } : {}),
      limitsHit,
      calls: sample.calls,
      ...(sample.omitted ? { callsOmitted: sample.omitted } : {}),
      callCounts: summary.tally.counts,
      ...(Object.keys(refused).length ? { refused } : {}),
      operations: countOperations(registered),
      tokens: { in: summary.tokensIn, out: summary.tokensOut },
      pii: counts,
      flags: capped.flags,
      ...(capped.omitted ? { flagsOmitted: capped.omitted } : {}),
      ...(summary.cpuMs !== undefined ? { cpuMs: Math.round(summary.cpuMs * 10) / 10 } : {}),
    };
  }
}

/** Codes of the limits that ended or cut the run, for the audit record and the execute span. */
function limitsHitBy(summary: RunSummary): string[] {
  return [
    ...(summary.errorCode && LIMIT_CODES.has(summary.errorCode) ? [summary.errorCode] : []),
    ...(summary.logsTruncated ? ['LOG_BYTES'] : []),
    ...(summary.cut ? ['SURFACE_TOKENS'] : []),
  ];
}

const MAX_SESSION_CHARS = 200;

/** A token's claims are the issuer's text: cut like the client's name, at most 64 scopes kept. */
function boundPrincipal(principal: Principal, cut: (text: string) => string): Principal {
  return {
    subject: cut(principal.subject),
    ...(principal.clientId !== undefined ? { clientId: cut(principal.clientId) } : {}),
    scopes: principal.scopes.slice(0, 64).map(cut),
    source: principal.source,
    ...(principal.issuer !== undefined ? { issuer: cut(principal.issuer) } : {}),
  };
}

/** The client names itself at initialize: its name and version are cut before they are stored. */
const cutSessionText = (text: string) => (text.length > MAX_SESSION_CHARS ? `${text.slice(0, MAX_SESSION_CHARS)}…` : text);

function boundSession(session: AuditSession): AuditSession {
  const cut = cutSessionText;
  return {
    id: cut(session.id),
    transport: cut(session.transport),
    ...(session.client ? { client: { name: cut(session.client.name), version: cut(session.client.version) } } : {}),
    ...(session.principal ? { principal: boundPrincipal(session.principal, cut) } : {}),
  };
}
