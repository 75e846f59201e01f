// The main flow over Streamable HTTP, plus the HTTP contract: 404 for unknown sessions,
// Host/Origin checks against DNS rebinding, and a clean stop on SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, search, startHttpGateway, tempDir, writeConfig } from './harness.js';

describe('cemcp serve --http', () => {
  let gateway: Awaited<ReturnType<typeof startHttpGateway>>;

  beforeAll(async () => {
    gateway = await startHttpGateway(writeConfig(tempDir()));
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('serves search and execute over Streamable HTTP', async () => {
    const { tools } = await gateway.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['execute', 'search']);
    expect((await search(gateway.client, { query: 'sum of two numbers' })).text).toContain('everything.get_sum(');
    const run = await execute(gateway.client, `
      await memory.create_entities({ entities: [{ name: 'H', entityType: 'http', observations: [] }] });
      const g = await memory.read_graph({});
      return g.entities.length;
    `);
    expect(run).toEqual({ text: '1', isError: false });
  });

  it('answers 404 for an unknown session id', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': 'no-such-session' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(404);
  });

  it('refuses a foreign Host header and a foreign Origin', async () => {
    const init = {
      jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const url = new URL(gateway.url);
    const hostile = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', origin: 'http://evil.example' },
      body: JSON.stringify(init),
    });
    expect(hostile.status).toBe(403);
    // fetch will not forge Host; node:http can.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: '/mcp', method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify(init));
    });
    expect(status).toBe(403);
  });

  it('stops on SIGTERM and takes its upstream children with it', async () => {
    const other = await startHttpGateway(writeConfig(tempDir()));
    const pid = other.child.pid!;
    const children = await childPids(pid);
    expect(children.length).toBeGreaterThanOrEqual(3);
    await other.close();
    await expect.poll(async () => (await Promise.all(children.map(isAlive))).some(Boolean), { timeout: 10_000 }).toBe(false);
  });
});

async function childPids(pid: number): Promise<number[]> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(/\s+/).filter(Boolean).map(Number);
}

async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
    const { readFile } = await import('node:fs/promises');
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}
