import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryAuditSink, createPolicy } from '../audit/index.js';
import { Catalog } from '../catalog/index.js';
import { createQuickJsEngine } from '../sandbox/index.js';
import { outcomeInvoker } from '../upstream/index.js';
import { createEgress } from './egress.js';
import { executeProgram, type RuntimeOptions } from './execute.js';
import { fetchNamespace } from './namespaces/index.js';
import { RunScope } from './run-scope.js';

describe('RunScope', () => {
  it('drops calls not yet sent, cancels sent ones, aborts its signal and counts refusals', async () => {
    const scope = new RunScope({ settleMs: 1_000 });
    const queued = scope.begin('a.x', 'a', 'x', 2);
    const sent = scope.begin('a.y', 'a', 'y', 2);
    let aborted = false;
    const work = sent.send(() => new Promise<void>((resolve) => scope.signal.addEventListener('abort', () => ((aborted = true), resolve()))));
    expect(work).toBeDefined();
    const done = scope.begin('a.z', 'a', 'z', 2);
    done.send(() => Promise.resolve());
    expect(done.finish({ ok: true, json: '1' }, 1)).toEqual({ ok: true, json: '1' });
    scope.count('LIMIT_TOOL_CALLS', 3);
    const tally = await scope.close();
    expect(aborted).toBe(true);
    expect(tally).toEqual({ counts: { ok: 1, error: 0, refused: 3, dropped: 1, cancelled: 1 }, refusedByCode: { LIMIT_TOOL_CALLS: 3 } });
    expect(scope.records.map((r) => [r.call, r.fate])).toEqual([['a.x', 'dropped'], ['a.y', 'cancelled'], ['a.z', 'ok']]);
    // After close nothing starts, and late answers carry nothing back.
    expect(queued.send(() => Promise.resolve('never'))).toBeUndefined();
    expect(sent.finish({ ok: true, json: '"late"' }, 6)).toMatchObject({ ok: false, error: { code: 'RUN_ENDED' } });
    expect(scope.tally.counts.ok).toBe(1);
  });

  it('tells onStart of each call as it begins, and onCall of each fate, closed calls included', async () => {
    const events: string[] = [];
    const scope = new RunScope({ onStart: (call) => events.push(`start ${call}`), onCall: (record) => events.push(`${record.fate} ${record.call}`) });
    const first = scope.begin('a.x', 'a', 'x', 2);
    scope.begin('a.y', 'a', 'y', 2);
    first.send(() => Promise.resolve());
    first.finish({ ok: true, json: '1' }, 1);
    scope.count('LIMIT_TOOL_CALLS'); // a refusal before begin: neither started nor settled
    await scope.close();
    expect(events).toEqual(['start a.x', 'start a.y', 'ok a.x', 'dropped a.y']);
  });

  it('follows the parent signal (client cancel)', () => {
    const parent = new AbortController();
    const scope = new RunScope({ parent: parent.signal });
    parent.abort();
    expect(scope.signal.aborted).toBe(true);
    expect(scope.begin('a.x', 'a', 'x', 2).send(() => Promise.resolve())).toBeUndefined();
  });
});

describe('executeProgram run scope', () => {
  const catalog = Catalog.fromSources([{ server: 'up', tools: [{ name: 'wait', description: 'waits for its signal', inputSchema: { type: 'object', properties: { i: { type: 'number' } } } }] }]);
  const engine = createQuickJsEngine({ poolSize: 1 });
  afterAll(() => engine.close());
  const limits = {
    cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000, maxResultBytes: 100_000,
    maxToolCalls: 10, toolCallTimeoutMs: 5_000, maxConcurrentCalls: 2, maxToolResultBytes: 100_000,
  };
  const reached: number[] = [];
  const aborted: number[] = [];
  // A real in-process upstream: answers only when its signal aborts.
  const invoker = outcomeInvoker({
    callTool(_server, _tool, args, options) {
      const i = Number(args.i);
      reached.push(i);
      return new Promise((_, reject) => {
        options.signal?.addEventListener('abort', () => {
          aborted.push(i);
          reject(new Error('aborted'));
        }, { once: true });
      });
    },
  });

  it('a run that returns with calls pending: none reaches the upstream afterwards; the record lists every fate', async () => {
    reached.length = 0;
    aborted.length = 0;
    const sink = createMemoryAuditSink();
    const options: RuntimeOptions = { engine, invoker, limits, maxTokens: 1_000, oversight: { audit: sink } };
    const result = await executeProgram('for (let i = 0; i < 15; i++) up.wait({ i }); return "done";', catalog, options);
    expect(result.text).toBe('done');
    const reachedAtAnswer = reached.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reached.length).toBe(reachedAtAnswer);
    expect(reachedAtAnswer).toBeLessThanOrEqual(2);
    expect(aborted.sort()).toEqual([...reached].sort());
    const record = sink.records[0]!;
    expect(record.callCounts).toEqual({ ok: 0, error: 0, refused: 5, dropped: 10 - reachedAtAnswer, cancelled: reachedAtAnswer });
    expect(record.refused).toEqual({ LIMIT_TOOL_CALLS: 5 });
    expect(result.tally?.counts.cancelled).toBe(reachedAtAnswer);
  });

  it('a guest fetch in flight when the run ends is aborted', async () => {
    let requests = 0;
    let closed = 0;
    const server = http.createServer((req) => {
      requests += 1;
      req.socket.on('close', () => (closed += 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const egress = createEgress({ allow: [{ origin, allowPrivateNetwork: true }], timeoutMs: 30_000, maxResponseBytes: 1_000, maxRedirects: 0 });
      const sink = createMemoryAuditSink();
      const options: RuntimeOptions = { engine, invoker, limits, maxTokens: 1_000, oversight: { audit: sink }, namespaces: [fetchNamespace(egress)] };
      const started = Date.now();
      const result = await executeProgram(`fetch("${origin}/hang"); await new Promise(() => {});`, catalog, { ...options, limits: { ...limits, wallMs: 800 } });
      expect(result.errorCode).toBe('SANDBOX_TIMEOUT');
      for (let i = 0; closed === 0 && i < 100; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(requests).toBe(1);
      expect(closed).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(sink.records[0]!.callCounts).toMatchObject({ cancelled: 1 });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('policy rules for fetch', () => {
  const catalog = Catalog.fromSources([{ server: 'up', tools: [] }]);
  const engine = createQuickJsEngine({ poolSize: 1 });
  let server: http.Server;
  let origin = '';
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => ((hits += 1), res.end('hi')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await engine.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const limits = {
    cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000, maxResultBytes: 100_000,
    maxToolCalls: 10, toolCallTimeoutMs: 5_000, maxConcurrentCalls: 2, maxToolResultBytes: 100_000,
  };
  const run = (deny: string[], allow: string[] = []) => {
    const egress = createEgress({ allow: [{ origin, allowPrivateNetwork: true }], timeoutMs: 5_000, maxResponseBytes: 1_000, maxRedirects: 0 });
    const policy = createPolicy({ allow, deny, confirm: [], destructive: 'allow' });
    const invoker = outcomeInvoker({ callTool: () => Promise.reject(new Error('no tools')) });
    return executeProgram(`try { return await (await fetch("${origin}/x")).text(); } catch (e) { return e.code + ": " + e.message; }`, catalog, { engine, invoker, limits, maxTokens: 1_000, oversight: { policy }, namespaces: [fetchNamespace(egress)] });
  };

  it('denies every fetch with `fetch`, a URL glob with `fetch:<glob>` (any case), and lets others through', async () => {
    hits = 0;
    expect((await run(['fetch'])).text).toBe(`POLICY_DENIED: fetch ${origin}: denied by policy rule deny "fetch"`);
    expect((await run([`FETCH:${origin.toUpperCase()}/*`])).text).toContain('POLICY_DENIED');
    expect((await run(['fetch:https://elsewhere.example/*'])).text).toBe('hi');
    expect(hits).toBe(1);
  });

  it('an allow list governs fetch only once it names fetch', async () => {
    hits = 0;
    expect((await run([], ['up.*'])).text).toBe('hi');
    expect((await run([], ['fetch:https://elsewhere.example/*'])).text).toContain('allow list (no fetch pattern matches)');
    expect((await run([], [`fetch:${origin}/*`])).text).toBe('hi');
    expect(hits).toBe(2);
  });
});
