import { trace, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryAuditSink } from '../audit/index.js';
import { Catalog } from '../catalog/index.js';
import { createQuickJsEngine } from '../sandbox/index.js';
import { outcomeInvoker } from '../upstream/index.js';
import { executeProgram, type RuntimeOptions } from './execute.js';
import type { ExecuteContext } from './oversight.js';

const SECRET_ARG = 'hunter2-argument';
const EMAIL = 'ada@example.com';

const catalog = Catalog.fromSources([{
  server: 'crm',
  tools: [
    { name: 'find_contact', description: 'Finds a contact', inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } },
    { name: 'send_email', description: 'Sends an email', inputSchema: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] } },
  ],
}]);

// A real in-process upstream: one tool answers with PII, the other fails.
const invoker = outcomeInvoker({
  async callTool(_server, tool) {
    if (tool === 'find_contact') return { content: [{ type: 'text', text: JSON.stringify({ name: 'Ada', email: EMAIL }) }] };
    return { isError: true, content: [{ type: 'text', text: 'mailbox full' }] };
  },
});

const engine = createQuickJsEngine({ poolSize: 1 });
afterAll(() => engine.close());
const limits = {
  cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000, maxResultBytes: 100_000,
  maxToolCalls: 10, toolCallTimeoutMs: 1_000, maxConcurrentCalls: 4, maxToolResultBytes: 100_000,
};
const context: ExecuteContext = { session: { id: 'sess-otel', transport: 'stdio' } };
const PROGRAM = `
  const a = await crm.find_contact({ q: '${SECRET_ARG}' });
  const b = await crm.find_contact({ q: 'grace' });
  try { await crm.send_email({ to: a.email }); } catch (e) { console.log(e.code); }
  return a;
`;

function run(code: string, sink = createMemoryAuditSink(), runContext: ExecuteContext = context) {
  const options: RuntimeOptions = { engine, invoker, limits, maxTokens: 1_000, oversight: { audit: sink } };
  return executeProgram(code, catalog, options, undefined, runContext);
}

describe('telemetry without an OpenTelemetry SDK', () => {
  it('runs as before and records no span', async () => {
    // A provider that was never registered: the runtime must go through the global API only.
    const exporter = new InMemorySpanExporter();
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const sink = createMemoryAuditSink();
    const result = await run(PROGRAM, sink);
    expect(result.ok).toBe(true);
    expect(result.calls.map((c) => c.ok)).toEqual([true, true, false]);
    expect(sink.records).toHaveLength(1);
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

describe('telemetry with an OpenTelemetry SDK registered', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  beforeAll(() => void trace.setGlobalTracerProvider(provider));
  afterAll(async () => {
    trace.disable();
    await provider.shutdown();
  });

  const byName = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.name === name);

  it('records one execute span with a child span per tool call', async () => {
    exporter.reset();
    const sink = createMemoryAuditSink();
    const result = await run(PROGRAM, sink);
    expect(result.ok).toBe(true);

    const [execute, ...rest] = byName('cemcp.execute');
    expect(rest).toEqual([]);
    expect(execute!.instrumentationScope.name).toBe('cemcp');
    expect(execute!.attributes).toEqual({
      'cemcp.session.id': 'sess-otel',
      'cemcp.ok': true,
      'cemcp.tokens.in': result.tokensIn,
      'cemcp.tokens.out': result.tokensOut,
      'cemcp.tool_calls': 3,
      'cemcp.limits_hit': [],
      'cemcp.audit.id': sink.records[0]!.id,
      'cemcp.flags': [],
    });
    expect(execute!.status.code).toBe(SpanStatusCode.UNSET);

    const calls = byName('cemcp.tool_call');
    expect(calls.map((s) => s.attributes)).toEqual(result.calls.map((c) => ({
      'cemcp.server': 'crm',
      'cemcp.tool': c.tool,
      'cemcp.ok': c.ok,
      ...(c.errorCode ? { 'cemcp.error.code': c.errorCode } : {}),
      'cemcp.argument_bytes': c.argumentBytes,
      'cemcp.result_bytes': c.resultBytes,
    })));
    expect(calls.map((s) => [s.attributes['cemcp.tool'], s.attributes['cemcp.error.code']])).toEqual([
      ['find_contact', undefined], ['find_contact', undefined], ['send_email', 'TOOL_ERROR'],
    ]);
    expect(calls.map((s) => s.status)).toEqual([{ code: SpanStatusCode.UNSET }, { code: SpanStatusCode.UNSET }, { code: SpanStatusCode.ERROR, message: 'TOOL_ERROR' }]);

    const parent = execute!.spanContext();
    const toMs = ([s, ns]: readonly [number, number]): number => s * 1e3 + ns / 1e6;
    for (const call of calls) {
      expect(call.parentSpanContext?.spanId).toBe(parent.spanId);
      expect(call.spanContext().traceId).toBe(parent.traceId);
      // Back-dated from the bridge's own duration: inside the execute span, in order, 1 ms slack for rounding.
      expect(toMs(call.startTime)).toBeGreaterThanOrEqual(toMs(execute!.startTime) - 1);
      expect(toMs(call.endTime)).toBeLessThanOrEqual(toMs(execute!.endTime) + 1);
    }

    // Never the program, the arguments, the results or PII.
    const everything = JSON.stringify(exporter.getFinishedSpans().map((s) => [s.attributes, s.status, s.events]));
    for (const leak of [SECRET_ARG, 'grace', EMAIL, 'mailbox full', 'find_contact({']) expect(everything).not.toContain(leak);
  });

  it('puts the principal of an authenticated session on the execute span and every call span', async () => {
    exporter.reset();
    const sink = createMemoryAuditSink();
    const principal = { subject: 'svc-reports', clientId: 'reports-app', scopes: ['crm:read', 'crm:write'], source: 'oauth' as const, issuer: 'https://as.example' };
    const result = await run(PROGRAM, sink, { session: { id: 'sess-http', transport: 'http', principal } });
    expect(result.ok).toBe(true);
    const who = {
      'enduser.id': 'svc-reports',
      'cemcp.principal.subject': 'svc-reports',
      'cemcp.principal.client_id': 'reports-app',
      'cemcp.principal.scopes': ['crm:read', 'crm:write'],
      'cemcp.principal.source': 'oauth',
      'cemcp.principal.issuer': 'https://as.example',
    };
    const [execute] = byName('cemcp.execute');
    expect(execute!.attributes).toMatchObject({ 'cemcp.session.id': 'sess-http', ...who });
    const calls = byName('cemcp.tool_call');
    expect(calls).toHaveLength(3);
    for (const call of calls) expect(call.attributes).toMatchObject(who);
    // The audit record names the same principal.
    expect(sink.records[0]!.session.principal).toEqual(principal);
    // A very long subject is cut as in the audit record.
    exporter.reset();
    await run('return 1', sink, { session: { id: 's', transport: 'http', principal: { ...principal, subject: 'x'.repeat(5_000) } } });
    expect(String(byName('cemcp.execute')[0]!.attributes['enduser.id'])).toHaveLength(201);
  });

  it('marks a failed run with its error code, limits hit and flags', async () => {
    exporter.reset();
    const result = await run('const p = globalThis.process;\nfor (;;) {}');
    expect(result.errorCode).toBe('SANDBOX_CPU');
    const [execute] = byName('cemcp.execute');
    expect(execute!.attributes).toMatchObject({
      'cemcp.ok': false, 'cemcp.error.code': 'SANDBOX_CPU', 'cemcp.limits_hit': ['SANDBOX_CPU'], 'cemcp.tool_calls': 0, 'cemcp.flags': ['probe'],
    });
    expect(execute!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'SANDBOX_CPU' });
    expect(byName('cemcp.tool_call')).toEqual([]);
  });

  it('ends the execute span of a program that does not parse', async () => {
    exporter.reset();
    await run('return (');
    expect(byName('cemcp.execute').map((s) => s.attributes['cemcp.error.code'])).toEqual(['SYNTAX_ERROR']);
  });
});
