import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis, type LocalRedis } from '../../test/support/local-servers.js';
import { createRedisSessionStore } from './redis-store.js';
import { createStoreCipher } from './store-cipher.js';
import { sessionStoreContract } from './store.contract.js';

const newKey = () => randomBytes(32).toString('base64');

describe('createRedisSessionStore (a real redis-server)', () => {
  let redis: LocalRedis;
  const key = newKey();
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const storeOf = (keys: string[] = [key], keyPrefix = `t${randomUUID().slice(0, 8)}:`) =>
    createRedisSessionStore({ url: redis.url, cipher: createStoreCipher(keys), keyPrefix });

  sessionStoreContract('redis store', () => ({
    store: storeOf(),
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ttlMs: 400,
  }));

  it('keeps no plaintext in Redis: a raw read of the session shows ciphertext only', async () => {
    const store = storeOf([key], 'raw:');
    const raw = new Redis(redis.url);
    try {
      await store.set('s1', 'pii', { 'ada@example.com': '[EMAIL_1]' });
      const fields = await raw.hgetall('raw:s:{s1}');
      expect(Object.keys(fields).sort()).toEqual(['@', 'r:pii', 'v:pii']);
      expect(JSON.stringify(fields)).not.toContain('ada@example.com');
      expect(JSON.stringify(fields)).not.toContain('EMAIL');
      expect(fields['v:pii']).toMatch(/^c1\./);
    } finally {
      raw.disconnect();
      await store.close();
    }
  });

  it('reads a value sealed under an older key after rotation, and writes under the new one', async () => {
    const old = newKey();
    const fresh = newKey();
    const before = storeOf([old], 'rot:');
    await before.set('s1', 'pii', { 'ada@example.com': '[EMAIL_1]' });
    await before.close();
    const after = storeOf([fresh, old], 'rot:');
    const raw = new Redis(redis.url);
    try {
      expect(await after.get('s1', 'pii')).toEqual({ value: { 'ada@example.com': '[EMAIL_1]' }, revision: 1 });
      await after.set('s1', 'pii', { 'bob@example.com': '[EMAIL_2]' });
      const sealed = (await raw.hget('rot:s:{s1}', 'v:pii'))!;
      expect(sealed.split('.')[1]).toBe(createStoreCipher([fresh]).currentKeyId);
    } finally {
      raw.disconnect();
      await after.close();
    }
  });

  it('fails with a clear error when the key is not in the ring, or a value is moved to another session', async () => {
    const writer = storeOf([newKey()], 'wrong:');
    await writer.set('s1', 'pii', { a: 1 });
    await writer.close();
    const reader = storeOf([key], 'wrong:');
    const raw = new Redis(redis.url);
    try {
      await expect(reader.get('s1', 'pii')).rejects.toThrow(/encrypted under key id \S+, which is not among cemcp\.store\.encryptionKeys/);
      await reader.set('s2', 'pii', { mine: true });
      // A value copied into another session (or under another key) does not open there.
      await raw.hset('wrong:s:{s3}', 'v:pii', (await raw.hget('wrong:s:{s2}', 'v:pii'))!, 'r:pii', '1');
      await expect(reader.get('s3', 'pii')).rejects.toThrow(/fails authentication: it was altered, or copied from another session or key/);
      await raw.hset('wrong:s:{s2}', 'v:other', (await raw.hget('wrong:s:{s2}', 'v:pii'))!, 'r:other', '1');
      await expect(reader.get('s2', 'other')).rejects.toThrow(/fails authentication/);
    } finally {
      raw.disconnect();
      await reader.close();
    }
  });

  it('fails closed and fast: nothing listening, or a server that never answers, rejects within the timeouts', async () => {
    const cipher = createStoreCipher([key]);
    const nobody = createRedisSessionStore({ url: `redis://127.0.0.1:${await freePort()}`, cipher, connectTimeoutMs: 300, commandTimeoutMs: 200 });
    const silentServer = net.createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
    const silent = createRedisSessionStore({ url: `redis://127.0.0.1:${(silentServer.address() as net.AddressInfo).port}`, cipher, connectTimeoutMs: 300, commandTimeoutMs: 200 });
    try {
      for (const store of [nobody, silent]) {
        const started = performance.now();
        await expect(store.set('s1', 'pii', { a: 1 })).rejects.toThrow(/redis at 127\.0\.0\.1:\d+ (is unreachable|did not answer)/);
        await expect(store.get('s1', 'pii')).rejects.toThrow(/redis at 127\.0\.0\.1:\d+/);
        expect(performance.now() - started).toBeLessThan(3_000);
      }
    } finally {
      await Promise.all([nobody.close(), silent.close()]);
      silentServer.close();
    }
  });

  it('comes back by itself when Redis returns on the same address', async () => {
    const store = storeOf();
    try {
      await store.set('s1', 'k', 1);
      await redis.stop();
      await expect(store.get('s1', 'k')).rejects.toThrow(/is unreachable/);
      await redis.start();
      let answer: unknown = 'unanswered';
      for (let i = 0; i < 40 && answer === 'unanswered'; i++) {
        answer = await store.get('s1', 'k').catch(() => 'unanswered');
        if (answer === 'unanswered') await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(answer).toBeUndefined(); // back, and empty: this test server keeps nothing across a restart
      expect(await store.set('s1', 'k', 2)).toEqual({ ok: true, revision: 1 });
    } finally {
      await store.close();
    }
  });
});
