// The HTTP session lifecycle with the official SDK client: a cap on live sessions answers a new
// initialize with 503 naming cemcp.sessions.maxSessions (and accepts again once one closes); an
// idle session expires after cemcp.sessions.idleTimeoutMs and its id then gets 404; a running
// execute keeps its session alive however long it takes.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, serverEntry, spawnHttpGateway, tempDir } from './harness.js';

// Long enough that the cap test never sees a session expire under a loaded machine.
const IDLE_MS = 3_000;

describe('HTTP sessions: cap and idle expiry', () => {
  let gateway: Awaited<ReturnType<typeof spawnHttpGateway>>;
  const clients: { client: Client; transport: StreamableHTTPClientTransport }[] = [];

  const connect = async () => {
    const client = new Client({ name: 'sessions-e2e', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(gateway.url));
    await client.connect(transport);
    clients.push({ client, transport });
    return { client, transport };
  };
  const end = async ({ client, transport }: { client: Client; transport: StreamableHTTPClientTransport }) => {
    await transport.terminateSession(); // HTTP DELETE: the session ends now
    await client.close();
  };
  const statusOf = async (sessionId: string) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }),
    });
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    const dir = tempDir('cemcp-sessions-');
    const file = path.join(dir, 'mcp.json');
    writeFileSync(file, JSON.stringify({
      mcpServers: { everything: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-everything'), 'stdio'] } },
      cemcp: { sessions: { idleTimeoutMs: IDLE_MS, maxSessions: 2 } },
    }));
    gateway = await spawnHttpGateway(file);
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map(({ client }) => client.close()));
    const exited = new Promise((resolve) => gateway?.child.once('exit', resolve));
    gateway?.child.kill('SIGTERM');
    await exited;
  });

  it('refuses the initialize past cemcp.sessions.maxSessions with 503 and the key to raise, and accepts again once one closes', async () => {
    const first = await connect();
    const second = await connect();
    const refused = await connect().then(() => undefined, (error: unknown) => error as Error & { code?: number });
    expect(refused?.code).toBe(503);
    expect(refused?.message).toContain('this gateway serves at most 2 live sessions (cemcp.sessions.maxSessions)');
    expect(refused?.message).toContain('raise cemcp.sessions.maxSessions');
    // The raw answer is a JSON-RPC error for the initialize request's id.
    const raw = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 41, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    expect(raw.status).toBe(503);
    expect(await raw.json()).toMatchObject({ jsonrpc: '2.0', id: 41, error: { code: -32000 } });

    await end(first);
    const third = await connect();
    expect((await third.client.listTools()).tools.map((t) => t.name).sort()).toEqual(['execute', 'search']);
    expect((await second.client.listTools()).tools).toHaveLength(2);
    await end(second);
    await end(third);
  });

  it('keeps a session alive while its execute runs past the idle timeout, then expires it when idle: its id gets 404', async () => {
    const { client, transport } = await connect();
    const id = transport.sessionId!;
    const started = Date.now();
    const run = await execute(client, `return await everything.trigger_long_running_operation({ duration: ${(IDLE_MS * 1.5) / 1000}, steps: 3 });`);
    expect(run.isError).toBe(false);
    expect(run.text).toContain('Long running operation completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS * 1.5);
    expect((await statusOf(id)).status).toBe(200); // still the same live session

    // Left alone (any request would count as use): expiry comes within 1.25 x the idle timeout.
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 1.25 + 1_000));
    const expired = await statusOf(id);
    expect(expired.status).toBe(404);
    expect(expired.text).toContain('expired after cemcp.sessions.idleTimeoutMs');
    await expect(client.listTools()).rejects.toMatchObject({ code: 404 }); // the SDK client sees the 404 and may re-initialize
    // A new session starts as usual; expired sessions left the cap.
    const again = await connect();
    const other = await connect();
    expect((await execute(again.client, 'return 6 * 7')).text).toBe('42');
    await end(again);
    await end(other);
  });
});
