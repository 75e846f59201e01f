// The deployment of docs/deploy.md, for real: redis-server, three `cemcp serve --http` processes
// (cemcp.store redis, the real server-memory upstream) and HAProxy in front, all started here.
// With the official SDK client: one session crosses processes (round-robin: every request lands
// elsewhere; hashed on mcp-session-id: it stays on one), a process killed (SIGKILL) mid-session
// and the session goes on, a PII token made on one process restored on another, nothing lost.
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayCluster, type GatewayCluster } from '../support/gateway-cluster.js';

interface Served {
  readonly method: string;
  readonly backend: string;
}

/** The official SDK client through the load balancer, noting which process answered each POST. */
async function connect(url: string) {
  const served: Served[] = [];
  const recordingFetch = async (input: string | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    if (init?.method === 'POST' && typeof init.body === 'string') {
      const { method } = JSON.parse(init.body) as { method?: string };
      served.push({ method: method ?? '(answer)', backend: response.headers.get('x-cemcp-backend') ?? '?' });
    }
    return response;
  };
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: recordingFetch });
  const client = new Client({ name: 'cluster-e2e', version: '1.0.0' });
  await client.connect(transport);
  const execute = async (code: string) => {
    const result = (await client.callTool({ name: 'execute', arguments: { code } })) as CallToolResult;
    const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
    if (result.isError) throw new Error(`execute failed: ${text}`);
    return { text, backend: served.at(-1)!.backend };
  };
  return { client, transport, served, execute };
}

const graph = (file: string) => readFileSync(file, 'utf8');

describe('three gateway processes behind HAProxy, sessions in Redis', () => {
  let cluster: GatewayCluster;

  beforeAll(async () => {
    cluster = await startGatewayCluster({ processes: 3, frontends: [{ name: 'hashed', balance: 'hash' }, { name: 'roundrobin', balance: 'roundrobin' }] });
  }, 90_000);

  afterAll(async () => {
    await cluster?.close();
  });

  it('serves one session from every process in turn (round-robin): a PII token made on one is restored on another', async () => {
    const { client, transport, served, execute } = await connect(cluster.urls.roundrobin!);
    const made = await execute(`
      await memory.create_entities({ entities: [{ name: 'Ada', entityType: 'person', observations: ['mail ada.lovelace@analytical.example'] }] });
      return (await memory.open_nodes({ names: ['Ada'] })).entities[0].observations[0];`);
    expect(made.text).toBe('mail [EMAIL_1]'); // tokenized on its way back to the client
    const restored = await execute(`
      await memory.create_entities({ entities: [{ name: 'Copy', entityType: 'person', observations: ['to [EMAIL_1]'] }] });
      return 'ok';`);
    expect(restored.backend).not.toBe(made.backend);
    expect(graph(cluster.memoryFile)).toContain('to ada.lovelace@analytical.example'); // the upstream got the real address
    expect(graph(cluster.memoryFile)).not.toContain('[EMAIL_1]');
    // State written on one process is read on the next.
    await execute(`await state.set('step', 1); return 'set';`);
    for (let i = 0; i < 4; i++) {
      const { text } = await execute(`const n = (await state.get('step')) + 1; await state.set('step', n); return n;`);
      expect(text).toBe(String(i + 2));
    }
    const calls = served.filter((s) => s.method === 'tools/call');
    expect(new Set(calls.map((s) => s.backend))).toEqual(new Set(['g1', 'g2', 'g3']));
    expect(calls.every((s, i) => i === 0 || s.backend !== calls[i - 1]!.backend)).toBe(true);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/); // one session throughout: never re-initialized
    expect(served.filter((s) => s.method === 'initialize')).toHaveLength(1);
    await transport.terminateSession();
    await client.close();
  });

  it('keeps a session on one process (hashed on mcp-session-id); when that process is killed the session goes on elsewhere, and comes back when it restarts', async () => {
    const { client, transport, served, execute } = await connect(cluster.urls.hashed!);
    const id = transport.sessionId!;
    const first = await execute(`
      await memory.create_entities({ entities: [{ name: 'Grace', entityType: 'person', observations: ['grace.hopper@navy.example'] }] });
      await state.set('count', 1);
      return (await memory.open_nodes({ names: ['Grace'] })).entities[0].observations[0];`);
    expect(first.text).toBe('[EMAIL_1]');
    const home = first.backend;
    for (let i = 0; i < 3; i++) await execute('return 1');
    expect(new Set(served.filter((s) => s.method === 'tools/call').map((s) => s.backend))).toEqual(new Set([home]));

    const victim = cluster.gateways.find((g) => g.name === home)!;
    await victim.kill(); // mid-session: no shutdown runs, nothing is written on the way out
    const after = await execute(`
      const n = (await state.get('count')) + 1;
      await state.set('count', n);
      await memory.add_observations({ observations: [{ entityName: 'Grace', contents: ['cc [EMAIL_1]'] }] });
      return n;`);
    expect(after.backend).not.toBe(home);
    expect(after.text).toBe('2');
    expect(graph(cluster.memoryFile)).toContain('cc grace.hopper@navy.example');
    expect(transport.sessionId).toBe(id);
    // A request that met the dead process before HAProxy's check did (500 ms) was sent on to any live one; once the check
    // marks it down, the hash settles the session on one live process, and it stays there.
    const landed: string[] = [];
    for (let i = 0; i < 40 && !(landed.length >= 2 && landed.at(-1) === landed.at(-2)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      landed.push((await execute(`return (await state.get('count'))`)).backend);
    }
    expect(landed.at(-1)).toBe(landed.at(-2));
    expect(landed.at(-1)).not.toBe(home);

    await victim.start();
    // Once HAProxy sees it up again (rise 2 x 500 ms), consistent hashing sends the session home: rebuilt there.
    let back = '';
    for (let i = 0; i < 40 && back !== home; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      back = (await execute(`return (await state.get('count'))`)).backend;
    }
    expect(back).toBe(home);
    expect((await execute(`return [await state.get('count'), (await memory.open_nodes({ names: ['Grace'] })).entities[0].observations]`)).text)
      .toBe('[2,["[EMAIL_1]","cc [EMAIL_1]"]]');
    expect(served.filter((s) => s.method === 'initialize')).toHaveLength(1);

    // Closing the session removes it from Redis: no process serves the id any more.
    await transport.terminateSession();
    for (const gateway of cluster.gateways) {
      const answer = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': id, host: '127.0.0.1' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(answer.status).toBe(404);
    }
    await client.close();
  });
});
