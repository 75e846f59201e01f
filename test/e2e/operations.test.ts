// Operations of a real `node dist/cli/main.js serve --http` process with server-everything upstream
// and the official SDK client: /healthz, /readyz and /metrics (bearer token from ${VAR}) moving
// after runs; SIGTERM drains: the running program finishes with its result while a new initialize
// gets 503 and /readyz turns 503, then the process exits 0 with its upstream children gone; a run
// past cemcp.http.drainMs is stopped with an error naming the key. On a real Redis store: /readyz
// follows Redis going away and coming back, and SIGTERM leaves the HTTP session's data in Redis.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedis } from '../support/local-servers.js';
import { execute, serverEntry, spawnHttpGateway, tempDir } from './harness.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', METRICS_TOKEN: TOKEN, ...extra });

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function startGateway(drainMs: number, redisUrl?: string) {
  const dir = tempDir('cemcp-ops-');
  const file = path.join(dir, 'mcp.json');
  const store = redisUrl ? { store: { type: 'redis', url: '${REDIS_URL}', encryptionKeys: ['${CEMCP_STORE_KEY}'], keyPrefix: 'ops:', commandTimeoutMs: 500 } } : {};
  writeFileSync(file, JSON.stringify({
    mcpServers: { everything: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-everything'), 'stdio'] } },
    cemcp: { http: { drainMs }, metrics: { token: '${METRICS_TOKEN}' }, typecheck: { mode: 'off' }, ...store },
  }), { mode: 0o600 });
  const gateway = await spawnHttpGateway(file, env(redisUrl ? { REDIS_URL: redisUrl, CEMCP_STORE_KEY: randomBytes(32).toString('base64') } : {}));
  children.push(gateway.child);
  const base = gateway.url.replace(/\/mcp$/, '');
  const client = new Client({ name: 'ops-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
  const exited = new Promise<number | null>((resolve) => gateway.child.once('exit', (code) => resolve(code)));
  return { ...gateway, base, client, exited };
}

async function scrape(base: string): Promise<Map<string, number>> {
  const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  const series = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Process ids of the gateway's child processes (its upstreams), from ps. */
function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const initialize = JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'late', version: '1' } } });

describe('serve --http operations', () => {
  it('serves /healthz, /readyz and token-protected /metrics whose counters move with runs and errors', async () => {
    const gateway = await startGateway(10_000);
    try {
      expect(await (await fetch(`${gateway.base}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${gateway.base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', catalog: { ok: true, ready: 1 }, store: { ok: true, kind: 'memory' } });
      expect((await fetch(`${gateway.base}/metrics`)).status).toBe(401);

      const before = await scrape(gateway.base);
      expect(before.get('cemcp_upstream_state{upstream="everything",state="ready"}')).toBe(1);
      expect(before.get('cemcp_sessions_live')).toBe(1);
      const ok = await execute(gateway.client, 'return await everything.get_sum({ a: 2, b: 3 })');
      expect(ok.isError).toBe(false);
      const failed = await execute(gateway.client, 'throw new Error("deliberate")');
      expect(failed.isError).toBe(true);
      const after = await scrape(gateway.base);
      const moved = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
      expect(moved('cemcp_runs_total{outcome="ok",code="none"}')).toBe(1);
      expect(moved('cemcp_runs_total{outcome="error",code="GUEST_THREW"}')).toBe(1);
      expect(moved('cemcp_tool_calls_total{upstream="everything",fate="ok"}')).toBe(1);
      expect(moved('cemcp_execute_duration_seconds_count{outcome="ok"}')).toBe(1);
      expect(after.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      await gateway.client.close();
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(0);
    }
  });

  it('drains on SIGTERM: the running program finishes with its result, new work gets 503, then it exits 0 with its upstreams gone', async () => {
    const gateway = await startGateway(20_000);
    const upstreams = childPids(gateway.child.pid!);
    expect(upstreams.length).toBeGreaterThan(0);
    const run = execute(gateway.client, 'return await everything.trigger_long_running_operation({ duration: 2, steps: 2 })');
    await until(async () => (await scrape(gateway.base)).get('cemcp_runs_in_flight') === 1, 'the program to run');
    gateway.child.kill('SIGTERM');
    await until(async () => (await fetch(`${gateway.base}/readyz`)).status === 503, '/readyz to turn 503', 2_000);
    expect(await (await fetch(`${gateway.base}/readyz`)).json()).toMatchObject({ status: 'not ready', notReady: ['draining'], draining: true });
    const late = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: initialize });
    expect(late.status).toBe(503);
    expect(late.headers.get('connection')).toBe('close');
    expect(late.headers.get('retry-after')).toBe('5');
    expect(await late.json()).toMatchObject({ id: 5, error: { message: expect.stringContaining('shutting down (draining)') } });
    expect(await (await fetch(`${gateway.base}/healthz`)).json()).toEqual({ status: 'ok' }); // still up while draining

    const result = await run;
    expect(result).toEqual({ isError: false, text: expect.stringContaining('Long running operation completed. Duration: 2 seconds') });
    expect(await gateway.exited).toBe(0);
    expect(gateway.stderr()).toMatch(/draining: 1 programs running/);
    expect(gateway.stderr()).toMatch(/drained in \d+ ms/);
    await until(async () => upstreams.every((pid) => !alive(pid)), 'the upstream children to be gone', 10_000);
    await gateway.client.close().catch(() => undefined);
  });

  it('stops a program still running at the cemcp.http.drainMs deadline with an error naming the key, and exits 0', async () => {
    const gateway = await startGateway(500);
    const run = execute(gateway.client, 'return await everything.trigger_long_running_operation({ duration: 60, steps: 2 })');
    await until(async () => (await scrape(gateway.base)).get('cemcp_runs_in_flight') === 1, 'the program to run');
    gateway.child.kill('SIGTERM');
    const result = await run;
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Error [SANDBOX_CANCELLED]: the gateway process is shutting down and this run outlasted its drain deadline (cemcp.http.drainMs: 500 ms)');
    expect(await gateway.exited).toBe(0);
    expect(gateway.stderr()).toMatch(/drain deadline passed: stopped 1 programs still running/);
    await gateway.client.close().catch(() => undefined);
  });

  it('on a Redis store: /readyz follows Redis away and back, and SIGTERM leaves the HTTP session in Redis for another process', async () => {
    const redis = await startRedis();
    const raw = new Redis(redis.url, { lazyConnect: true });
    try {
      const gateway = await startGateway(10_000, redis.url);
      const readyz = async () => {
        const response = await fetch(`${gateway.base}/readyz`);
        return { status: response.status, body: await response.json() as Record<string, unknown> };
      };
      expect(await readyz()).toMatchObject({ status: 200, body: { store: { ok: true, kind: 'redis' } } });
      await redis.stop();
      await until(async () => (await readyz()).status === 503, '/readyz to see Redis gone', 10_000);
      expect((await readyz()).body).toMatchObject({ notReady: ['store'], store: { ok: false, kind: 'redis' } });
      await redis.start();
      await until(async () => (await readyz()).status === 200, '/readyz to see Redis back', 15_000);
      // This Redis came back empty (no persistence): the session's record went with it, so its id
      // is unknown everywhere now, as after a DELETE; a new session is served.
      await expect(execute(gateway.client, 'return 1')).rejects.toThrow(/session not found/);
      const client = new Client({ name: 'ops-e2e-after', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));

      const run = await execute(client, 'return "write to ada.lovelace@example.com"');
      expect(run).toEqual({ isError: false, text: expect.stringContaining('[EMAIL_1]') });
      await raw.connect();
      const before = await raw.keys('ops:s:{http-*');
      expect(before).toHaveLength(1);
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(0);
      // The process is gone; the session's data (its PII map) is still in Redis, expiring by its TTL.
      expect(await raw.keys('ops:s:{http-*')).toEqual(before);
      expect(await raw.hexists(before[0]!, 'v:pii')).toBe(1);
      expect(await raw.pttl(before[0]!)).toBeGreaterThan(0);
      await client.close().catch(() => undefined);
      await gateway.client.close().catch(() => undefined);
    } finally {
      raw.disconnect();
      await redis.stop();
    }
  });
});

