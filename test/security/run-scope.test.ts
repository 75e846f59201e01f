// Escape battery: tool calls may not outlive their run. A program fires calls it never awaits,
// then ends in each way a run can end (return, throw, memory, CPU, wall time, client cancel).
// A real upstream on the SDK writes down every call it receives and every cancellation: after
// the run ends nothing more may arrive, calls in flight get `notifications/cancelled`, and the
// audit record accounts for every call with its fate.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { readAuditRecords, type AuditRecord } from '../../src/audit/index.js';
import { ROOT, tempDir } from '../e2e/harness.js';
import { expectServes, useSecurityGateway } from './gateway.js';

const CALL_LOG_SERVER = path.join(ROOT, 'test/fixtures/call-log-server.mjs');
const LOG = path.join(tempDir('cemcp-run-scope-'), 'calls.jsonl');
/** Unawaited calls each program fires: three waves at 4 in flight, each wave SLOW_MS long. */
const FIRED = 12;
const SLOW_MS = 1_500;
/** Pipe latency between the gateway and the upstream's log, far below SLOW_MS. */
const LATENCY_MS = 500;

interface LogEntry {
  readonly event: 'call' | 'cancelled';
  readonly id: string;
  readonly t: number;
}

const readLog = (): LogEntry[] =>
  existsSync(LOG) ? readFileSync(LOG, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogEntry) : [];

const fire = `for (let i = 0; i < ${FIRED}; i++) calls.slow({ ms: ${SLOW_MS}, i });`;

describe('escape battery: calls end with their run', () => {
  const gateway = useSecurityGateway({
    upstreams: [],
    extra: { calls: { command: process.execPath, args: [CALL_LOG_SERVER], env: { CALL_LOG: LOG } } },
    limits: { maxToolCalls: 40, maxConcurrentCalls: 4, toolCallTimeoutMs: 30_000, wallMs: 4_000, cpuMs: 2_000 },
  });
  const auditDir = () => path.join(path.dirname(gateway().configFile), '.cemcp/audit');

  /** Runs `code` (or cancels it once `cancelAfterCalls` calls reached the upstream), then checks the upstream and the audit. */
  async function endsCleanly(code: string, expectText: RegExp, cancelAfterCalls?: number): Promise<AuditRecord> {
    const before = readLog().length;
    const recordsBefore = readAuditRecords(auditDir()).length;
    let answeredAt: number;
    if (cancelAfterCalls === undefined) {
      const result = (await gateway().client.callTool({ name: 'execute', arguments: { code } })) as CallToolResult;
      answeredAt = Date.now();
      expect(JSON.stringify(result.content)).toMatch(expectText);
    } else {
      const controller = new AbortController();
      const pending = gateway().client.callTool({ name: 'execute', arguments: { code } }, undefined, { signal: controller.signal });
      pending.catch(() => undefined);
      while (readLog().slice(before).filter((e) => e.event === 'call').length < cancelAfterCalls) await sleep(20);
      controller.abort('the test cancels');
      answeredAt = Date.now();
      await expect(pending).rejects.toThrow(/cancel/i);
    }
    // Long enough for the next wave of queued calls to have arrived, were they still going.
    await sleep(SLOW_MS + LATENCY_MS);
    const log = readLog().slice(before);
    const received = log.filter((e) => e.event === 'call');
    const cancelled = log.filter((e) => e.event === 'cancelled');
    for (const call of received) expect(call.t, 'a call reached the upstream after the run ended').toBeLessThanOrEqual(answeredAt + LATENCY_MS);

    let records = readAuditRecords(auditDir());
    for (let i = 0; records.length === recordsBefore && i < 50; i++) {
      await sleep(50);
      records = readAuditRecords(auditDir());
    }
    const record = records.at(-1)!;
    expect(records.length).toBe(recordsBefore + 1);
    const counts = record.callCounts!;
    const started = Object.values(counts).reduce((a, b) => a + b, 0);
    // A cancel stops the worker at once: calls the program made that were still in the worker's
    // message queue are never relayed, so they reach no upstream and are not listed (SECURITY.md).
    expect(started).toBeGreaterThanOrEqual(cancelAfterCalls === undefined ? FIRED : cancelAfterCalls);
    // Every call that reached the upstream is in the record as ok, error or cancelled; the rest were dropped.
    expect(counts.ok + counts.error + counts.cancelled).toBe(received.length);
    expect(counts.dropped).toBe(started - received.length - counts.refused);
    // Each call in flight when the run ended got notifications/cancelled, and only those.
    expect(cancelled.length).toBe(counts.cancelled);
    for (const c of cancelled) expect(received.map((r) => r.id)).toContain(c.id);
    expect(record.calls.filter((c) => c.fate === 'cancelled').length).toBe(counts.cancelled);
    await expectServes(gateway());
    return record;
  }

  it('a program that returns without awaiting its calls: in-flight calls cancelled, queued ones dropped', async () => {
    const record = await endsCleanly(`${fire} return "done";`, /done/);
    expect(record.ok).toBe(true);
    expect(record.callCounts!.cancelled).toBeGreaterThan(0);
    expect(record.callCounts!.dropped).toBeGreaterThan(0);
  }, 30_000);

  it('a program that throws after firing calls', async () => {
    const record = await endsCleanly(`${fire} throw new Error("boom");`, /boom/);
    expect(record.errorCode).toBe('GUEST_THREW');
    expect(record.callCounts!.dropped + record.callCounts!.cancelled).toBeGreaterThan(0);
  }, 30_000);

  it('a memory bomb after firing calls', async () => {
    const record = await endsCleanly(`${fire} const a = []; for (let i = 0; ; i++) a.push('x'.repeat(65536) + i);`, /SANDBOX_MEMORY/);
    expect(record.errorCode).toBe('SANDBOX_MEMORY');
  }, 30_000);

  it('a CPU-bound loop after firing calls', async () => {
    const record = await endsCleanly(`${fire} for (;;) {}`, /SANDBOX_CPU/);
    expect(record.errorCode).toBe('SANDBOX_CPU');
  }, 30_000);

  it('a run that hits its wall time while calls are in flight', async () => {
    const record = await endsCleanly(`${fire} await calls.slow({ ms: 60000, i: 99 });`, /SANDBOX_TIMEOUT/);
    expect(record.errorCode).toBe('SANDBOX_TIMEOUT');
    expect(record.callCounts!.cancelled).toBeGreaterThan(0);
  }, 30_000);

  it('a run the client cancels while calls are in flight', async () => {
    const record = await endsCleanly(`${fire} await calls.slow({ ms: 60000, i: 99 });`, /./, 4);
    expect(record.errorCode).toBe('SANDBOX_CANCELLED');
    expect(record.callCounts!.cancelled).toBeGreaterThan(0);
  }, 30_000);

  it('a tool call from toJSON of the return value never leaves the sandbox, and is counted', async () => {
    const before = readLog().length;
    const result = await gateway().run(`return { toJSON() { calls.quick({ i: 7 }); return "serialized"; } };`);
    expect(result).toEqual({ text: 'serialized', isError: false });
    await sleep(LATENCY_MS);
    expect(readLog().slice(before)).toEqual([]);
    const record = readAuditRecords(auditDir()).at(-1)!;
    expect(record.refused).toEqual({ RUN_ENDED: 1 });
    expect(record.callCounts!.refused).toBe(1);
  }, 30_000);

  it('a tool call from a getter of a thrown error never leaves the sandbox either', async () => {
    const before = readLog().length;
    const result = await gateway().run(`throw { get message() { calls.quick({ i: 8 }); return "from a getter"; } };`);
    expect(result.isError).toBe(true);
    expect(result.text).toContain('from a getter');
    await sleep(LATENCY_MS);
    expect(readLog().slice(before)).toEqual([]);
  }, 30_000);
});

// An OpenAPI upstream whose one operation never answers: it counts requests and closed sockets.
const apiRequests: string[] = [];
let apiClosed = 0;
const api = http.createServer((req) => {
  apiRequests.push(req.url ?? '');
  req.socket.once('close', () => (apiClosed += 1));
});
await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
const apiBase = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
const SPEC = path.join(tempDir('cemcp-run-scope-api-'), 'slow.json');
writeFileSync(SPEC, JSON.stringify({
  openapi: '3.0.3', info: { title: 'slow', version: '1' },
  paths: { '/slow/{i}': { get: { operationId: 'slow', parameters: [{ name: 'i', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'never' } } } } },
}));

describe('escape battery: OpenAPI calls end with their run', () => {
  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));
  const gateway = useSecurityGateway({
    upstreams: [],
    openapi: { api: { spec: SPEC, baseUrl: apiBase } },
    limits: { maxToolCalls: 40, maxConcurrentCalls: 4, toolCallTimeoutMs: 30_000 },
  });

  it('requests in flight are aborted and queued ones never sent', async () => {
    // The run waits on one more call until its wall time is up: by then the first wave reached the server.
    const result = await gateway().run('for (let i = 0; i < 10; i++) api.slow({ i }); await api.slow({ i: 99 });');
    expect(result.text).toContain('SANDBOX_TIMEOUT');
    const atAnswer = apiRequests.length;
    for (let i = 0; apiClosed < apiRequests.length && i < 100; i++) await sleep(20);
    await sleep(LATENCY_MS);
    expect(apiRequests.length).toBeLessThanOrEqual(Math.max(atAnswer, 4));
    expect(apiClosed).toBe(apiRequests.length);
    const record = readAuditRecords(path.join(path.dirname(gateway().configFile), '.cemcp/audit')).at(-1)!;
    expect(apiRequests.length).toBe(4);
    expect(record.callCounts).toMatchObject({ ok: 0, error: 0, cancelled: 4, dropped: 7 });
  }, 30_000);
});
