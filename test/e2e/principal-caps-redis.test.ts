// Per-principal caps over a real redis-server: two stores on two connections stand for two gateway
// processes; the caps hold across them under a burst (compare-and-set by Lua), fail closed while
// Redis is down and work again when it returns. Prints what counting costs per run, beside the
// in-memory store (a figure for the report, not asserted: timing is the bench's business).
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/index.js';
import { silentLogger, type Principal } from '../../src/common/index.js';
import { createQuickJsEngine } from '../../src/sandbox/index.js';
import { createPrincipalCaps, GatewayService, type PrincipalCaps } from '../../src/server/index.js';
import { createMemorySessionStore, createRedisSessionStore, createStoreCipher, type SessionStore } from '../../src/session/index.js';
import { startRedis, type LocalRedis } from '../support/local-servers.js';

const ann: Principal = { subject: 'ann', scopes: ['team-a'], source: 'api-key' };
const key = randomBytes(32).toString('base64');

describe('per-principal caps on a shared Redis store', () => {
  let redis: LocalRedis;
  const stores: SessionStore[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.allSettled(stores.map((s) => s.close()));
    await redis?.stop();
  });

  const process = (prefix: string, limits: { maxConcurrentRuns?: number; maxRunsPerMinute?: number; maxSessions?: number }): PrincipalCaps => {
    const store = createRedisSessionStore({ url: redis.url, cipher: createStoreCipher([key]), keyPrefix: prefix, commandTimeoutMs: 500 });
    stores.push(store);
    return createPrincipalCaps({ store: store, defaults: limits, sessionLeaseMs: 60_000, runLeaseMs: 90_000, runWallMs: 30_000 });
  };

  it('admits exactly the cap from a burst on two processes, and frees places as runs end', async () => {
    const prefix = `p${randomUUID().slice(0, 8)}:`;
    const [one, two] = [process(prefix, { maxConcurrentRuns: 4 }), process(prefix, { maxConcurrentRuns: 4 })];
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? one : two).beginRun(ann)));
    const admitted = answers.flatMap((a) => (a.ok ? [a.value] : []));
    expect(admitted).toHaveLength(4);
    await admitted[0]!();
    expect((await two.beginRun(ann)).ok).toBe(true);
    expect((await one.beginRun(ann)).ok).toBe(false);
    // Sessions too: a place taken on one process is seen by the other.
    const [s1, s2] = [process(prefix, { maxSessions: 1 }), process(prefix, { maxSessions: 1 })];
    expect((await s1.openSession(ann, 'a')).ok).toBe(true);
    expect((await s2.openSession(ann, 'b')).ok).toBe(false);
  });

  it('fails closed while Redis is down and counts again when it is back', async () => {
    const caps = process(`p${randomUUID().slice(0, 8)}:`, { maxRunsPerMinute: 100 });
    expect((await caps.beginRun(ann)).ok).toBe(true);
    await redis.stop();
    try {
      await expect(caps.beginRun(ann)).rejects.toThrow();
    } finally {
      await redis.start();
    }
    let back = false;
    for (let i = 0; i < 50 && !back; i++) {
      back = await caps.beginRun(ann).then((a) => a.ok, () => false);
      if (!back) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(back).toBe(true);
  });

  it('costs little per run: prints begin+end of a capped run on Redis and in memory', async () => {
    const limits = { maxConcurrentRuns: 8, maxRunsPerMinute: 1_000_000 };
    const onRedis = process(`p${randomUUID().slice(0, 8)}:`, limits);
    const inMemory = createPrincipalCaps({ store: createMemorySessionStore(), defaults: limits, sessionLeaseMs: 60_000, runLeaseMs: 90_000, runWallMs: 30_000 });
    const measure = async (caps: PrincipalCaps, runs: number): Promise<number[]> => {
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        const place = await caps.beginRun(ann);
        if (!place.ok) throw new Error(place.refusal.message);
        await place.value();
        ms.push(performance.now() - started);
      }
      return ms.sort((a, b) => a - b);
    };
    await measure(onRedis, 50); // warm the connection and the scripts
    const redisMs = await measure(onRedis, 500);
    const memoryMs = await measure(inMemory, 500);
    const at = (ms: number[], q: number) => ms[Math.floor(q * (ms.length - 1))]!.toFixed(3);
    console.log(`principal caps per run (begin + end: one store round trip each): redis p50 ${at(redisMs, 0.5)} ms p95 ${at(redisMs, 0.95)} ms; memory p50 ${at(memoryMs, 0.5)} ms p95 ${at(memoryMs, 0.95)} ms`);
    expect(redisMs).toHaveLength(500);
  });

  it('adds little to an execute on Redis: prints p50 of a one-line program with and without caps', async () => {
    const engine = createQuickJsEngine({ poolSize: 1 });
    try {
      const limits = {
        cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000,
        maxResultBytes: 100_000, maxToolCalls: 10, toolCallTimeoutMs: 1_000, maxConcurrentCalls: 4, maxToolResultBytes: 50_000,
      };
      const service = (caps: boolean) => {
        const store = createRedisSessionStore({ url: redis.url, cipher: createStoreCipher([key]), keyPrefix: `x${randomUUID().slice(0, 8)}:` });
        stores.push(store);
        return new GatewayService(Catalog.fromSources([]), {
          runtime: { engine, invoker: { callTool: async () => ({ ok: true, value: null }) }, limits, maxTokens: 1_000 }, inlineApiMaxTokens: 0, logger: silentLogger, sessionStore: store,
          ...(caps ? { principalCaps: createPrincipalCaps({ store: store, defaults: { maxConcurrentRuns: 8, maxRunsPerMinute: 1_000_000 }, sessionLeaseMs: 60_000, runLeaseMs: 90_000, runWallMs: 5_000 }) } : {}),
        });
      };
      // Interleaved, so both see the same machine load (two cores shared with other work).
      const gateways = [service(false), service(true)];
      const sessions = gateways.map((g) => g.openSession('http', { principal: ann, ttlMs: 60_000 }));
      const ms: number[][] = [[], []];
      for (let i = 0; i < 430; i++) {
        for (const which of (i % 2 ? [0, 1] : [1, 0])) {
          const started = performance.now();
          const result = await gateways[which]!.execute('return 1', undefined, sessions[which]!.context);
          if (result.text !== '1') throw new Error(result.text);
          if (i >= 30) ms[which]!.push(performance.now() - started);
        }
      }
      const [off, on] = ms.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!) as [number, number];
      console.log(`execute p50 on Redis (400 interleaved runs each): without caps ${off.toFixed(2)} ms, with caps ${on.toFixed(2)} ms (added ${(on - off).toFixed(2)} ms)`);
      expect(on).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
