// Several gateway processes over one store, in one test process: two GatewayServices (each its
// own sessions, as two processes have) and two serveHttp front ends sharing a memory store. A
// session made on A is served by B once A is gone (rebuilt from the store, its PII token restored),
// another principal gets 404, A stopping removes nothing stored, a DELETE on either removes it
// from the store and from the other's copy.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/index.js';
import { silentLogger, type Principal, type ToolInvoker } from '../common/index.js';
import { createPrivacy } from '../privacy/index.js';
import { createQuickJsEngine } from '../sandbox/index.js';
import { createMemorySessionStore, type SessionStore } from '../session/index.js';
import { GatewayService } from './gateway-service.js';
import { serveHttp, type HttpGateway } from './http.js';
import { createMcpServer } from './mcp-server.js';
import { createSessionDirectory, storeSessionId } from './session-directory.js';

const catalog = Catalog.fromSources([{
  server: 'crm',
  tools: [
    { name: 'find', description: 'Finds a contact by name.', inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
    { name: 'send', description: 'Sends a mail.', inputSchema: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] } },
  ],
}]);
const sent: string[] = [];
const invoker: ToolInvoker = {
  async callTool(_server, tool, args) {
    const a = args as { name?: string; to?: string };
    if (tool === 'send') sent.push(a.to ?? '');
    return { ok: true, value: tool === 'find' ? { email: `${a.name ?? 'x'}@example.com` } : { ok: true } };
  },
};
const engine = createQuickJsEngine({ poolSize: 1 });
const limits = {
  cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000,
  maxResultBytes: 100_000, maxToolCalls: 10, toolCallTimeoutMs: 1_000, maxConcurrentCalls: 4, maxToolResultBytes: 50_000,
};
const privacy = createPrivacy({ enabled: true, detectors: ['email'], custom: [], servers: {}, maxEntries: 100 });
const TTL_MS = 60_000;

/** A user named by the x-user header (a stand-in for a validated token). */
const authenticate = async (req: { headers: Record<string, string | string[] | undefined> }) => {
  const subject = String(req.headers['x-user'] ?? 'nobody');
  return { ok: true as const, principal: { subject, scopes: [], source: 'api-key' } satisfies Principal };
};

const running: HttpGateway[] = [];
/** One gateway process over `store`: its own GatewayService (sessions) and HTTP front end. */
async function gatewayProcess(store: SessionStore): Promise<HttpGateway> {
  const service = new GatewayService(catalog, {
    runtime: { engine, invoker, limits, maxTokens: 1_000 }, inlineApiMaxTokens: 0, logger: silentLogger,
    openPiiSession: () => privacy.openSession(), sessionStore: store,
  });
  const directory = createSessionDirectory(store, { ttlMs: TTL_MS, idleMs: TTL_MS });
  const http = await serveHttp(({ sessionId, principal }) => createMcpServer(service, undefined, { transport: 'http', mcpSessionId: sessionId, principal, sessionTtlMs: TTL_MS }),
    { host: '127.0.0.1', port: 0, authenticate, directory }, silentLogger);
  running.push(http);
  return http;
}

/** A client whose requests go wherever `route.to` points now (a load balancer in miniature). */
async function connect(route: { to: string }, user: string) {
  const fetchVia = (_url: string | URL, init?: RequestInit) => fetch(route.to, init);
  const transport = new StreamableHTTPClientTransport(new URL(route.to), { fetch: fetchVia, requestInit: { headers: { 'x-user': user } } });
  const client = new Client({ name: 'rebuild-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

const text = (result: unknown) => ((result as { content: { text: string }[] }).content[0]!.text);
const run = async (client: Client, code: string) => text(await client.callTool({ name: 'execute', arguments: { code } }));
const post = (url: string, sessionId: string, user: string) => fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, 'x-user': user },
  body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list' }),
});

afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((g) => g.close()));
});
afterAll(() => engine.close());

describe('an HTTP session served by another process sharing the store', () => {
  it('is rebuilt on B once A is gone: same session, its PII token restored, nothing stored removed by A stopping', async () => {
    const store = createMemorySessionStore();
    const [a, b] = [await gatewayProcess(store), await gatewayProcess(store)];
    const route = { to: a.url };
    const { client, transport } = await connect(route, 'ada');
    const id = transport.sessionId!;
    expect(await run(client, `return (await crm.find({ name: 'kim' })).email;`)).toBe('[EMAIL_1]');

    await a.close(); // the process holding the session stops (or dies)
    const storeId = storeSessionId('http', id);
    expect((await store.keys(storeId)).sort()).toEqual(['mcp-session', 'mcp-session-active', 'pii']);

    route.to = b.url;
    expect(b.sessionCount()).toBe(0);
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['execute', 'search']);
    expect(b.sessionCount()).toBe(1);
    expect(transport.sessionId).toBe(id); // the client never re-initialized
    sent.length = 0;
    expect(await run(client, `await crm.send({ to: '[EMAIL_1]' }); return 'sent';`)).toBe('sent');
    expect(sent).toEqual(['kim@example.com']);
    // Numbering goes on where A left it.
    expect(await run(client, `return [(await crm.find({ name: 'lee' })).email, (await crm.find({ name: 'kim' })).email];`)).toBe('["[EMAIL_2]","[EMAIL_1]"]');

    // Closing the session (HTTP DELETE) removes it from the store: no process can serve it again.
    await transport.terminateSession();
    expect(await store.keys(storeId)).toEqual([]);
    const c = await gatewayProcess(store);
    expect((await post(c.url, id, 'ada')).status).toBe(404);
    await client.close();
  });

  it('answers another principal presenting the id with the same 404 as an unknown id, and rebuilds nothing for it', async () => {
    const store = createMemorySessionStore();
    const [a, b] = [await gatewayProcess(store), await gatewayProcess(store)];
    const { client, transport } = await connect({ to: a.url }, 'ada');
    const id = transport.sessionId!;

    const stranger = await post(b.url, id, 'mallory');
    const unknown = await post(b.url, '5f0c2a5e-0000-4000-8000-000000000000', 'ada');
    expect(stranger.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await stranger.json()).toEqual(await unknown.json());
    expect(b.sessionCount()).toBe(0);

    // The owner is served on B at once, while A still holds it too.
    const owner = await post(b.url, id, 'ada');
    expect(owner.status).toBe(200);
    expect(await owner.text()).toContain('"execute"');
    expect(b.sessionCount()).toBe(1);
    // Closed on A (HTTP DELETE): B's copy is not served any more either.
    await transport.terminateSession();
    expect((await post(b.url, id, 'ada')).status).toBe(404);
    expect(b.sessionCount()).toBe(0);
    await client.close();
  });

  it('rebuilds a session once however many of its requests arrive together', async () => {
    const store = createMemorySessionStore();
    const [a, b] = [await gatewayProcess(store), await gatewayProcess(store)];
    const { client, transport } = await connect({ to: a.url }, 'ada');
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(b.url, transport.sessionId!, 'ada')));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(b.sessionCount()).toBe(1);
    await client.close();
  });

  it('opens no session when the store cannot record it, and says so (503)', async () => {
    const store = createMemorySessionStore();
    const broken: SessionStore = { ...store, set: () => Promise.reject(new Error('connection refused')) };
    const a = await gatewayProcess(broken);
    const error = await connect({ to: a.url }, 'ada').then(() => undefined, (e: unknown) => e as Error & { code?: number });
    expect(error?.code).toBe(503);
    expect(error?.message).toContain('session store (memory): recording the new session failed: connection refused');
    expect(a.sessionCount()).toBe(0);
  });
});
