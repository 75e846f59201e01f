// Per-principal caps over a real SessionStore: two PrincipalCaps over one store stand for two
// gateway processes sharing it (the Redis case); a fake clock stands for leases expiring after a
// process died. GatewayService answers LIMIT_PRINCIPAL with the cap, the limit and when to retry.
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/index.js';
import { silentLogger, type Principal, type Records, type ToolInvoker } from '../common/index.js';
import { createQuickJsEngine } from '../sandbox/index.js';
import { createMemorySessionStore, storeRecords, type SessionStore } from '../session/index.js';
import { GatewayService } from './gateway-service.js';
import { createPrincipalCaps, PRINCIPAL_CAPS_RECORDS_ID, type PrincipalCapsOptions } from './principal-caps.js';

const ann: Principal = { subject: 'ann', scopes: ['team-a'], source: 'oauth', issuer: 'https://as.example' };
const bob: Principal = { subject: 'bob', scopes: ['team-b', 'admin'], source: 'oauth', issuer: 'https://as.example' };

function processes(over: Partial<PrincipalCapsOptions> = {}, store: SessionStore = createMemorySessionStore()) {
  const clock = { t: 1_000_000 };
  const make = () => createPrincipalCaps({
    records: storeRecords(store, PRINCIPAL_CAPS_RECORDS_ID), defaults: {}, sessionLeaseMs: 60_000, runLeaseMs: 90_000, runWallMs: 30_000, now: () => clock.t, ...over,
  });
  return { one: make(), two: make(), clock, store };
}

describe('per-principal session cap', () => {
  it('holds across processes sharing the store, names the cap and its key, and leaves other principals alone', async () => {
    const { one, two } = processes({ defaults: { maxSessions: 2 } });
    const a1 = await one.openSession(ann, 's1');
    const a2 = await two.openSession(ann, 's2');
    expect([a1.ok, a2.ok]).toEqual([true, true]);
    const a3 = await one.openSession(ann, 's3');
    expect(a3.ok).toBe(false);
    if (a3.ok) throw new Error('unreachable');
    expect(a3.refusal).toMatchObject({ key: 'cemcp.principals.maxSessions', limit: 2 });
    expect(a3.refusal.message).toBe('too many sessions for principal "ann": it may hold at most 2 live sessions at once (cemcp.principals.maxSessions). '
      + 'Close a session you no longer use (HTTP DELETE with its mcp-session-id), wait for an idle one to expire (cemcp.sessions.idleTimeoutMs), or raise cemcp.principals.maxSessions.');
    expect((await two.openSession(bob, 's4')).ok).toBe(true);
    // The session that ended on process one frees a place that process two sees.
    if (!a1.ok) throw new Error('unreachable');
    await a1.value.release();
    await a1.value.release(); // twice is once
    expect((await two.openSession(ann, 's5')).ok).toBe(true);
    expect((await two.openSession(ann, 's6')).ok).toBe(false);
  });

  it("frees a dead process's session at its lease expiry; a renewed lease lives on", async () => {
    const { one, two, clock } = processes({ defaults: { maxSessions: 1 } });
    const kept = await one.openSession(ann, 'kept');
    expect(kept.ok).toBe(true);
    // Process one dies without releasing: bob's place on it is leaked until the lease runs out.
    expect((await one.openSession(bob, 'leaked')).ok).toBe(true);
    clock.t += 40_000;
    if (kept.ok) kept.value.renew(); // used 40 s in: renewed for another 60 s
    await new Promise((resolve) => setTimeout(resolve, 10)); // the renewal is written in the background
    expect((await two.openSession(bob, 'new')).ok).toBe(false);
    clock.t += 30_000; // 70 s: bob's lease (60 s) expired, ann's renewed one has not
    expect((await two.openSession(bob, 'new')).ok).toBe(true);
    expect((await two.openSession(ann, 'other')).ok).toBe(false);
  });
});

describe('per-principal run caps', () => {
  it('caps runs at once across processes and frees a place when a run ends', async () => {
    const { one, two } = processes({ defaults: { maxConcurrentRuns: 2 } });
    const r1 = await one.beginRun(ann);
    const r2 = await two.beginRun(ann);
    const r3 = await one.beginRun(ann);
    expect([r1.ok, r2.ok, r3.ok]).toEqual([true, true, false]);
    if (r3.ok || !r1.ok) throw new Error('unreachable');
    expect(r3.refusal.message).toBe('execute refused: principal "ann" already has 2 runs going on, the most at once (cemcp.principals.maxConcurrentRuns: 2). '
      + 'Retry when one of them ends (a run lasts at most cemcp.limits.wallMs, 30000 ms), or raise cemcp.principals.maxConcurrentRuns.');
    expect((await two.beginRun(bob)).ok).toBe(true);
    await r1.value();
    expect((await two.beginRun(ann)).ok).toBe(true);
  });

  it('admits exactly the cap when many runs start at once on two processes (compare-and-set)', async () => {
    const { one, two } = processes({ defaults: { maxConcurrentRuns: 5 } });
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? one : two).beginRun(ann)));
    expect(answers.filter((a) => a.ok)).toHaveLength(5);
  });

  it('caps runs per minute with the wait before a retry, refilling evenly', async () => {
    const { one, two, clock } = processes({ defaults: { maxRunsPerMinute: 3 } });
    for (const p of [one, two, one]) expect((await p.beginRun(ann)).ok).toBe(true);
    const refused = await two.beginRun(ann);
    if (refused.ok) throw new Error('expected a refusal');
    expect(refused.refusal).toMatchObject({ key: 'cemcp.principals.maxRunsPerMinute', limit: 3, retryAfterMs: 20_000 });
    expect(refused.refusal.message).toBe('execute refused: principal "ann" started 3 runs in the last minute, the most allowed (cemcp.principals.maxRunsPerMinute: 3). Retry in 20 s, or raise cemcp.principals.maxRunsPerMinute.');
    expect((await one.beginRun(bob)).ok).toBe(true);
    clock.t += 19_000;
    expect((await one.beginRun(ann)).ok).toBe(false);
    clock.t += 1_000;
    expect((await one.beginRun(ann)).ok).toBe(true);
    expect((await one.beginRun(ann)).ok).toBe(false);
  });

  it('takes an override for the principals it matches, naming its key; a dead run frees its place at lease expiry', async () => {
    const { one, clock } = processes({ defaults: { maxConcurrentRuns: 1 }, overrides: [{ match: { scope: 'admin' }, maxConcurrentRuns: 2 }] });
    expect((await one.beginRun(bob)).ok).toBe(true);
    expect((await one.beginRun(bob)).ok).toBe(true);
    const third = await one.beginRun(bob);
    expect(third.ok ? undefined : third.refusal.key).toBe('cemcp.principals.overrides[0].maxConcurrentRuns');
    expect((await one.beginRun(ann)).ok).toBe(true);
    expect((await one.beginRun(ann)).ok).toBe(false);
    clock.t += 90_001; // the runs never ended (their process died): the leases ran out
    expect((await one.beginRun(ann)).ok).toBe(true);
  });

  it('touches no store for a principal without caps', async () => {
    let calls = 0;
    const store = createMemorySessionStore();
    const records = storeRecords(store, PRINCIPAL_CAPS_RECORDS_ID);
    const counted: Records = { ...records, update: (key, change) => (calls++, records.update(key, change)) };
    const caps = createPrincipalCaps({ records: counted, defaults: {}, overrides: [{ match: { subject: 'ann' }, maxConcurrentRuns: 1 }], sessionLeaseMs: 1, runLeaseMs: 1, runWallMs: 1 });
    const run = await caps.beginRun(bob);
    if (!run.ok) throw new Error('refused');
    await run.value();
    expect((await caps.openSession(bob, 'x')).ok).toBe(true);
    expect(calls).toBe(0);
    await caps.beginRun(ann);
    expect(calls).toBe(1);
  });
});

describe('GatewayService with per-principal caps', () => {
  const catalog = Catalog.fromSources([{ server: 'crm', tools: [{ name: 'find', description: 'Finds.', inputSchema: { type: 'object', properties: {} } }] }]);
  const invoker: ToolInvoker = { callTool: async () => ({ ok: true, value: { ok: 1 } }) };
  const engine = createQuickJsEngine({ poolSize: 1 });
  afterAll(() => engine.close());
  const limits = {
    cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000,
    maxResultBytes: 100_000, maxToolCalls: 10, toolCallTimeoutMs: 1_000, maxConcurrentCalls: 4, maxToolResultBytes: 50_000,
  };

  it('answers LIMIT_PRINCIPAL before the run; a store that cannot count refuses with SESSION_STORE', async () => {
    const store = createMemorySessionStore();
    const caps = createPrincipalCaps({ records: storeRecords(store, PRINCIPAL_CAPS_RECORDS_ID), defaults: { maxRunsPerMinute: 2 }, sessionLeaseMs: 60_000, runLeaseMs: 60_000, runWallMs: 5_000 });
    const service = new GatewayService(catalog, { runtime: { engine, invoker, limits, maxTokens: 1_000 }, inlineApiMaxTokens: 0, logger: silentLogger, sessionStore: store, principalCaps: caps });
    const session = service.openSession('http', { principal: ann });
    const other = service.openSession('http', { principal: bob });
    expect((await service.execute('return 1', undefined, session.context)).text).toBe('1');
    expect((await service.execute('return 2', undefined, session.context)).text).toBe('2');
    const refused = await service.execute('return 3', undefined, session.context);
    expect(refused).toMatchObject({ ok: false, errorCode: 'LIMIT_PRINCIPAL', calls: [] });
    expect(refused.text).toMatch(/^execute refused: principal "ann" started 2 runs in the last minute, the most allowed \(cemcp\.principals\.maxRunsPerMinute: 2\)\. Retry in \d+ s, or raise cemcp\.principals\.maxRunsPerMinute\. The program did not run\.$/);
    expect((await service.execute('return 4', undefined, other.context)).text).toBe('4');

    const broken: Records = { ...storeRecords(store, PRINCIPAL_CAPS_RECORDS_ID), update: async () => { throw new Error('store down'); } };
    const failing = new GatewayService(catalog, {
      runtime: { engine, invoker, limits, maxTokens: 1_000 }, inlineApiMaxTokens: 0, logger: silentLogger, sessionStore: store,
      principalCaps: createPrincipalCaps({ records: broken, defaults: { maxConcurrentRuns: 1 }, sessionLeaseMs: 1, runLeaseMs: 1, runWallMs: 1 }),
    });
    expect(await failing.execute('return 5', undefined, failing.openSession('http', { principal: ann }).context)).toMatchObject({ ok: false, errorCode: 'SESSION_STORE', text: 'store down. The program did not run.' });
  });
});
