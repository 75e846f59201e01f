// Per-upstream limits across sessions: one HTTP gateway, two SDK clients (two MCP sessions), one
// slow upstream with maxConcurrent 2. The upstream itself counts what it has in flight.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PETS_TOKEN, startPetsServer, type PetsServer } from '../fixtures/openapi/pets-server.js';
import { execute, ROOT, spawnHttpGateway, startStdioGateway, tempDir, type RunningGateway } from './harness.js';

const SLOW_SERVER = path.join(ROOT, 'test/fixtures/slow-server.mjs');

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 'cemcp-limits-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** A program that fans out `n` sleeps at once to `upstream` and returns what each saw. */
const fanOut = (upstream: string, tag: string, n: number, ms: number) =>
  `return await Promise.all(Array.from({ length: ${n} }, (_, i) => ${upstream}.sleep({ ms: ${ms}, tag: '${tag}' + i })));`;

type Seen = { tag: string; inFlightAtStart: number }[];

describe('per-upstream limits shared by every session of a gateway', () => {
  let child: ChildProcess;
  let clients: Client[] = [];

  beforeAll(async () => {
    const dir = tempDir('cemcp-limits-');
    const file = path.join(dir, 'mcp.json');
    writeFileSync(file, JSON.stringify({
      mcpServers: {
        slow: { command: process.execPath, args: [SLOW_SERVER], maxConcurrent: 2 },
        // The control: the same upstream with room for both sessions at once.
        wide: { command: process.execPath, args: [SLOW_SERVER], maxConcurrent: 12 },
        tight: { command: process.execPath, args: [SLOW_SERVER], callTimeoutMs: 300 },
      },
      cemcp: { limits: { maxConcurrentCalls: 8 } },
    }));
    const gateway = await spawnHttpGateway(file);
    child = gateway.child;
    clients = [await connect(gateway.url), await connect(gateway.url)];
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('lets both sessions reach an upstream at once when its limit has room (the control)', async () => {
    const [a, b] = clients as [Client, Client];
    const runs = await Promise.all([execute(a, fanOut('wide', 'a', 6, 300)), execute(b, fanOut('wide', 'b', 6, 300))]);
    for (const run of runs) expect(run.isError, run.text).toBe(false);
    const stats = JSON.parse((await execute(a, 'return await wide.stats({})')).text) as { maxInFlight: number };
    expect(stats.maxInFlight).toBeGreaterThan(6);
  });

  it('keeps the upstream at 2 calls in flight while two sessions each fan out 6', async () => {
    const [a, b] = clients as [Client, Client];
    const [runA, runB] = await Promise.all([execute(a, fanOut('slow', 'a', 6, 150)), execute(b, fanOut('slow', 'b', 6, 150))]);
    expect(runA.isError, runA.text).toBe(false);
    expect(runB.isError, runB.text).toBe(false);
    const seenA = JSON.parse(runA.text) as Seen;
    const seenB = JSON.parse(runB.text) as Seen;
    expect(seenA.map((r) => r.tag)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
    expect(seenB.map((r) => r.tag)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
    expect([...seenA, ...seenB].every((r) => r.inFlightAtStart <= 2)).toBe(true);

    const stats = JSON.parse((await execute(a, 'return await slow.stats({})')).text) as { maxInFlight: number; arrivals: string[] };
    // A limit per session would let 4 through (the control shows the sessions overlap); per process, 2.
    expect(stats.maxInFlight).toBe(2);
    expect(stats.arrivals).toHaveLength(12);
  });

  it('times a call out at the upstream callTimeoutMs and names that key', async () => {
    const run = await execute(clients[0]!, `
      const quick = await tight.sleep({ ms: 10, tag: 'q' });
      try { await tight.sleep({ ms: 5000, tag: 's' }); return 'no timeout'; } catch (e) { return [quick.tag, e.code, e.message]; }
    `);
    expect(run.isError, run.text).toBe(false);
    const [tag, code, message] = JSON.parse(run.text) as string[];
    expect(tag).toBe('q');
    expect(code).toBe('UPSTREAM_TIMEOUT');
    expect(message).toMatch(/no answer within 300 ms; if it is only slow, raise mcpServers\.tight\.callTimeoutMs \(300 ms\)$/);
  });
});

describe('per-upstream limits of a stdio gateway: OpenAPI rate, and waits cut short by the wall time', () => {
  let api: PetsServer;
  let gateway: RunningGateway;

  beforeAll(async () => {
    api = await startPetsServer();
    const file = path.join(tempDir('cemcp-limits-openapi-'), 'mcp.json');
    writeFileSync(file, JSON.stringify({
      mcpServers: { queue: { command: process.execPath, args: [SLOW_SERVER], maxConcurrent: 1 } },
      openapi: { pets: { spec: `${api.url}/openapi.yaml`, baseUrl: '${PETS_URL}', auth: { type: 'bearer', token: '${PETS_TOKEN}' }, rateLimit: { perSecond: 2, burst: 1 } } },
      cemcp: { limits: { wallMs: 3_000 } },
    }));
    gateway = await startStdioGateway(file, { PETS_TOKEN, PETS_URL: api.baseUrl });
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await api?.close();
  });

  it('spaces the requests of a Promise.all at the configured rate', async () => {
    const started = performance.now();
    const run = await execute(gateway.client, 'return (await Promise.all([1, 2, 3].map(() => pets.listPets({})))).length');
    const tookMs = performance.now() - started;
    expect(run).toEqual({ text: '3', isError: false });
    expect(api.seen.filter((r) => r.url.startsWith('/v1/pets'))).toHaveLength(3);
    // 2 per second with a burst of 1: the third request cannot leave before 1 s after the first
    // left, which was after the execute began (a lower bound, which no load can break).
    expect(tookMs).toBeGreaterThanOrEqual(1_000);
  });

  it('names the rate limit key when the wall time ends with calls still waiting for tokens', async () => {
    const run = await execute(gateway.client, 'return (await Promise.all(Array.from({ length: 10 }, () => pets.listPets({})))).length');
    expect(run.isError).toBe(true);
    expect(run.text).toMatch(/^Error \[SANDBOX_TIMEOUT\]/);
    expect(run.text).toMatch(/\n\d+ calls? (was|were) still waiting for upstream "pets" \(longest \d+ ms; 2 calls per second with bursts of 1: raise openapi\.pets\.rateLimit, or make fewer calls at once\)/);
  });

  it('names the maxConcurrent key when the wall time ends with calls still waiting for a slot', async () => {
    const run = await execute(gateway.client, 'return await Promise.all([1, 2, 3, 4].map((i) => queue.sleep({ ms: 1000, tag: String(i) })))');
    expect(run.isError).toBe(true);
    expect(run.text).toMatch(/^Error \[SANDBOX_TIMEOUT\]/);
    expect(run.text).toMatch(/\n\d calls? (was|were) still waiting for upstream "queue" \(longest \d+ ms; at most 1 at once, shared by every session: raise mcpServers\.queue\.maxConcurrent, or make fewer calls at once\)/);
    const stats = JSON.parse((await execute(gateway.client, 'return await queue.stats({})')).text) as { maxInFlight: number; arrivals: string[] };
    expect(stats.maxInFlight).toBe(1);
    expect(stats.arrivals.length).toBeLessThan(4);
  });
});
