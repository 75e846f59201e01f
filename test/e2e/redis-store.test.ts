// The gateway on a Redis session store (cemcp.store.type "redis"), with the official SDK client over
// stdio, an upstream built on the official SDK and a real redis-server: the session's PII map is in Redis encrypted
// (no email in plaintext); Redis stopped, a run answers SESSION_STORE at once and the gateway stays
// up; Redis back on the same port, runs work again with nothing restarted. Learned shapes are there too.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type LocalRedis } from '../support/local-servers.js';
import { execute, FIXTURE_SERVER, startStdioGateway, tempDir, type RunningGateway } from './harness.js';

const PROGRAM = `const echoed = await fixture.echo({ value: { id: 7, name: 'Ada' } }); return { echoed, contact: 'ada.lovelace@example.com' };`;

describe('gateway on a Redis session store', () => {
  let redis: LocalRedis;
  let gateway: RunningGateway;

  beforeAll(async () => {
    redis = await startRedis();
    const dir = tempDir('cemcp-redis-');
    const file = path.join(dir, 'mcp.json');
    writeFileSync(file, JSON.stringify({
      mcpServers: { fixture: { command: process.execPath, args: [FIXTURE_SERVER] } },
      cemcp: { store: { type: 'redis', url: '${REDIS_URL}', encryptionKeys: ['${CEMCP_STORE_KEY}'], keyPrefix: 'e2e:', commandTimeoutMs: 500 } },
    }), { mode: 0o600 });
    gateway = await startStdioGateway(file, { REDIS_URL: redis.url, CEMCP_STORE_KEY: randomBytes(32).toString('base64') });
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await redis?.stop();
  });

  it('keeps the session PII map in Redis, encrypted', async () => {
    const first = await execute(gateway.client, PROGRAM);
    expect(first.isError, first.text).toBe(false);
    expect(first.text).not.toContain('ada.lovelace@example.com'); // tokenized for the model
    const raw = new Redis(redis.url);
    try {
      const keys = await raw.keys('e2e:s:*');
      const sessions = await Promise.all(keys.map((key) => raw.hgetall(key)));
      const fields = sessions.flatMap((s) => Object.keys(s));
      expect(fields).toContain('v:pii');
      const dump = JSON.stringify(sessions);
      expect(dump).not.toContain('ada.lovelace');
      expect(dump).not.toContain('example.com');
      // Learned result shapes are in the gateway's durable records (every process sees them), not a file.
      let learned: string | null = null;
      for (let i = 0; i < 50 && !learned; i++) {
        learned = await raw.hget('e2e:s:{cemcp:gateway}', 'v:types:learned');
        if (!learned) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(learned).toMatch(/^c1\./);
    } finally {
      raw.disconnect();
    }
  });

  it('fails closed while Redis is down, stays up, and recovers by itself when Redis is back', async () => {
    await redis.stop();
    const started = performance.now();
    const down = await execute(gateway.client, PROGRAM);
    const elapsedMs = performance.now() - started;
    expect(down.isError).toBe(true);
    expect(down.text).toMatch(/session store \(redis\): reading the data of session \S+ failed: redis at 127\.0\.0\.1:\d+ is unreachable/);
    expect(down.text).toContain('The program did not run.');
    expect(elapsedMs).toBeLessThan(5_000); // no offline queue: not a hang until some far timeout
    // The process is up and answers what needs no store.
    const tools = await gateway.client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('execute');

    await redis.start();
    let again = await execute(gateway.client, PROGRAM);
    for (let i = 0; i < 50 && again.isError; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100)); // the client reconnects at most a second apart
      again = await execute(gateway.client, PROGRAM);
    }
    expect(again.isError, again.text).toBe(false);
    expect(again.text).toContain('Ada');
    // The gateway logs both as its client sees them, on its own stderr: that pipe may lag the answers.
    for (let i = 0; i < 100 && !/is back/.test(gateway.stderr()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gateway.stderr()).toMatch(/redis at 127\.0\.0\.1:\d+ is unreachable/);
    expect(gateway.stderr()).toMatch(/redis at 127\.0\.0\.1:\d+ is back/);
  }, 30_000);
});
