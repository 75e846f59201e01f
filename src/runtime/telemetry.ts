// OpenTelemetry spans of one execute (`cemcp.execute`) and of each of its tool calls (`cemcp.tool_call`),
// through @opentelemetry/api only: until an SDK registers a tracer provider, the API hands out
// non-recording spans, so nothing is sent and little is spent. Used by oversight.ts only.
// Attributes are names, codes and counts: never the program, arguments, results or PII.
// The API is loaded on the first execute, not at start-up (its CommonJS build: `require` is synchronous).
import { createRequire } from 'node:module';
import type * as OtelApi from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import type { AuditCall, Flag } from '../audit/index.js';
import type { Principal } from '../common/index.js';

/** The instrumentation scope: what a collector shows as the spans' library. */
export const TRACER_NAME = 'cemcp';

export interface ExecuteSpanSummary {
  readonly ok: boolean;
  readonly errorCode?: string | undefined;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly toolCalls: number;
  readonly limitsHit: readonly string[];
  readonly auditId: string;
  readonly flags: readonly Flag[];
}

export interface ExecuteTrace {
  /** One child span for a tool call that just ended (the bridge records it as it answers). */
  recordCall(call: AuditCall): void;
  end(summary: ExecuteSpanSummary): void;
}

let otel: typeof OtelApi | undefined;
const api = (): typeof OtelApi => (otel ??= createRequire(import.meta.url)('@opentelemetry/api') as typeof OtelApi);

/**
 * Who the run acts for, on the execute span and each call span (absent for a local session):
 * `enduser.id` (OpenTelemetry semantic conventions) and `cemcp.principal.*`. Already bounded by the caller.
 */
export function principalAttributes(principal: Principal | undefined): Attributes {
  if (!principal) return {};
  return {
    'enduser.id': principal.subject,
    'cemcp.principal.subject': principal.subject,
    'cemcp.principal.source': principal.source,
    'cemcp.principal.scopes': [...principal.scopes],
    ...(principal.clientId !== undefined ? { 'cemcp.principal.client_id': principal.clientId } : {}),
    ...(principal.issuer !== undefined ? { 'cemcp.principal.issuer': principal.issuer } : {}),
  };
}

export function startExecuteTrace(sessionId: string | undefined, principal?: Principal): ExecuteTrace {
  const { context, trace } = api();
  const tracer = trace.getTracer(TRACER_NAME);
  // The caller's span (e.g. an instrumented MCP request handler) is the parent when a context
  // manager carries it; tool calls get the execute span explicitly, so they nest without one.
  const parent = context.active();
  const who = principalAttributes(principal);
  const span = tracer.startSpan('cemcp.execute', { attributes: { ...(sessionId ? { 'cemcp.session.id': sessionId } : {}), ...who } }, parent);
  const inside = trace.setSpan(parent, span);

  return {
    recordCall(call) {
      // Skips the timestamps and attribute objects when no SDK records (or this trace is sampled out).
      if (!span.isRecording()) return;
      const endMs = performance.timeOrigin + performance.now();
      const child = tracer.startSpan('cemcp.tool_call', {
        startTime: endMs - call.durationMs,
        attributes: {
          'cemcp.server': call.server,
          'cemcp.tool': call.tool,
          'cemcp.ok': call.ok,
          ...(call.errorCode ? { 'cemcp.error.code': call.errorCode } : {}),
          'cemcp.argument_bytes': call.argumentBytes,
          'cemcp.result_bytes': call.resultBytes,
          ...who,
        },
      }, inside);
      endSpan(child, call.ok, call.errorCode, endMs);
    },
    end(summary) {
      const attributes: Attributes = {
        'cemcp.ok': summary.ok,
        ...(summary.errorCode ? { 'cemcp.error.code': summary.errorCode } : {}),
        'cemcp.tokens.in': summary.tokensIn,
        'cemcp.tokens.out': summary.tokensOut,
        'cemcp.tool_calls': summary.toolCalls,
        'cemcp.limits_hit': [...summary.limitsHit],
        // The audit id joins a trace to its audit record; flag kinds only, as messages name operations.
        'cemcp.audit.id': summary.auditId,
        'cemcp.flags': [...new Set(summary.flags.map((f) => f.kind))],
      };
      span.setAttributes(attributes);
      endSpan(span, summary.ok, summary.errorCode);
    },
  };
}

/** The status message is the error code alone: error texts can quote tool output. */
function endSpan(span: Span, ok: boolean, errorCode: string | undefined, endMs?: number): void {
  if (!ok) span.setStatus({ code: api().SpanStatusCode.ERROR, message: errorCode ?? 'ERROR' });
  span.end(endMs);
}
