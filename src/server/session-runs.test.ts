// GatewayService with sessions over a SessionStore: the PII map of a session is pulled from the
// store before each run and written back after, so a token restores in a later run of the same
// session (even in another process sharing the store) and never in another session.
import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../audit/index.js';
import { Catalog } from '../catalog/index.js';
import { silentLogger } from '../common/index.js';
import { createPrivacy } from '../privacy/index.js';
import type { ToolInvoker } from '../common/index.js';
import { createQuickJsEngine } from '../sandbox/index.js';
import { createMemorySessionStore, type SessionStore } from '../session/index.js';
import { GatewayService } from './gateway-service.js';
import { createMcpServer } from './mcp-server.js';

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
    const answer = tool === 'find' ? { email: `${a.name ?? 'x'}@example.com` } : { ok: true };
    return { ok: true, value: answer };
  },
};

const engine = createQuickJsEngine({ poolSize: 1 });
const limits = {
  cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000,
  maxResultBytes: 100_000, maxToolCalls: 10, toolCallTimeoutMs: 1_000, maxConcurrentCalls: 4, maxToolResultBytes: 50_000,
};
const privacy = createPrivacy({ enabled: true, detectors: ['email'], custom: [], servers: {}, maxEntries: 100 });
const audit: AuditRecord[] = [];
/** A gateway process over `store`. */
const gateway = (store: SessionStore) => new GatewayService(catalog, {
  runtime: { engine, invoker, limits, maxTokens: 1_000, oversight: { audit: { write: (record) => audit.push(record) } } }, inlineApiMaxTokens: 0, logger: silentLogger,
  openPiiSession: () => privacy.openSession(), sessionStore: store,
});
const find = (name: string) => `return (await crm.find({ name: '${name}' })).email;`;
const send = (token: string) => `await crm.send({ to: '${token}' }); return 'sent';`;

afterAll(() => engine.close());

describe('GatewayService sessions', () => {
  it('gives each session its own records and every session the gateway\'s durable ones', async () => {
    const store = createMemorySessionStore();
    const service = gateway(store);
    const one = service.openSession('http');
    const two = service.openSession('http');
    await one.context.records!.session!.write('state:k', 1);
    await one.context.records!.gateway.write('skills', ['s']);
    expect(await two.context.records!.session!.read('state:k')).toBeUndefined();
    expect(await two.context.records!.gateway.read('skills')).toEqual(['s']);
    await expect(one.context.records!.session!.write('pii', {})).rejects.toThrow(/kept by the session itself/);
    await one.close();
    // The session's records go with it; the gateway's stay.
    expect(await store.keys(one.id)).toEqual([]);
    expect(await service.gatewayRecords.read('skills')).toEqual(['s']);
  });

  it('restores a token of run 1 in run 2 of the same session, never in another session', async () => {
    const service = gateway(createMemorySessionStore());
    const one = service.openSession('http');
    const two = service.openSession('http');
    expect((await service.execute(find('ada'), undefined, one.context)).text).toBe('[EMAIL_1]');
    sent.length = 0;
    await service.execute(send('[EMAIL_1]'), undefined, one.context);
    await service.execute(send('[EMAIL_1]'), undefined, two.context);
    expect(sent).toEqual(['ada@example.com', '[EMAIL_1]']);
    expect(service.sessionCount).toBe(2);
    await one.close();
    await two.close();
    expect(service.sessionCount).toBe(0);
  });

  it('serves a session from the store in a second process, and drops it from the store on close', async () => {
    const store = createMemorySessionStore();
    const first = gateway(store).openSession('http', { ttlMs: 60_000 });
    const a = gateway(store);
    const b = gateway(store);
    const inA = a.openSession('http', { id: first.id });
    expect((await a.execute(find('grace'), undefined, inA.context)).text).toBe('[EMAIL_1]');
    const inB = b.openSession('http', { id: first.id });
    sent.length = 0;
    await b.execute(send('[EMAIL_1]'), undefined, inB.context);
    expect(sent).toEqual(['grace@example.com']);
    // B numbers on from what A stored.
    expect((await b.execute(find('alan'), undefined, inB.context)).text).toBe('[EMAIL_2]');
    await inB.close();
    expect(await store.keys(first.id)).toEqual([]);
  });

  it('loses no token when two executes of one session run at once', async () => {
    const store = createMemorySessionStore();
    const service = gateway(store);
    const s = service.openSession('http');
    const [x, y] = await Promise.all([service.execute(find('xena'), undefined, s.context), service.execute(find('yuri'), undefined, s.context)]);
    expect([x.text, y.text].sort()).toEqual(['[EMAIL_1]', '[EMAIL_2]']);
    // Both were written back: another process serving the session restores both.
    sent.length = 0;
    const again = gateway(store);
    const view = again.openSession('http', { id: s.id });
    await again.execute(`await crm.send({ to: '[EMAIL_1]' }); await crm.send({ to: '[EMAIL_2]' }); return 1;`, undefined, view.context);
    expect(sent.sort()).toEqual(['xena@example.com', 'yuri@example.com']);
  });

  it('does not run the program when the session data cannot be read, and says why', async () => {
    const store = createMemorySessionStore();
    const broken: SessionStore = { ...store, revision: () => Promise.reject(new Error('store down')) };
    const service = gateway(broken);
    const s = service.openSession('http');
    sent.length = 0;
    const result = await service.execute(send('x'), undefined, s.context);
    expect(result).toMatchObject({ ok: false, errorCode: 'SESSION_STORE' });
    expect(result.text).toBe(`session store (memory): reading the data of session ${s.id} failed: store down. The program did not run.`);
    expect(sent).toEqual([]);
  });

  it('keeps a one-off run (no session) out of the store', async () => {
    const store = createMemorySessionStore();
    const service = gateway(store);
    expect((await service.execute(find('zoe'))).text).toBe('[EMAIL_1]');
    expect(await store.sessionCount()).toBe(0);
  });

  it('names an MCP session over HTTP by a hash of its mcp-session-id, and drops its data when the client goes', async () => {
    const store = createMemorySessionStore();
    const service = gateway(store);
    const server = createMcpServer(service, undefined, { transport: 'http', mcpSessionId: 'client-held-id', sessionTtlMs: 60_000 });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'session-runs', version: '1.0.0' });
    await client.connect(clientSide);
    await client.callTool({ name: 'execute', arguments: { code: find('kim') } });
    const id = `http-${createHash('sha256').update('client-held-id').digest('hex').slice(0, 32)}`;
    expect(audit.at(-1)?.session).toEqual({ id, transport: 'http', client: { name: 'session-runs', version: '1.0.0' } });
    expect(JSON.stringify(audit)).not.toContain('client-held-id');
    expect(await store.keys(id)).toEqual(['pii']);
    await client.close();
    await expect.poll(() => store.keys(id)).toEqual([]);
    expect(service.sessionCount).toBe(0);
  });

  it('keeps an HTTP session in a shared store when the gateway stops, so another process restores its tokens', async () => {
    const shared: SessionStore = { ...createMemorySessionStore(), kind: 'shared' }; // outlives the process, as Redis does
    const first = gateway(shared);
    const server = createMcpServer(first, undefined, { transport: 'http', mcpSessionId: 'kept-id', sessionTtlMs: 60_000 });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'session-runs', version: '1.0.0' });
    await client.connect(clientSide);
    const token = (await client.callTool({ name: 'execute', arguments: { code: find('lee') } })) as { content: { text: string }[] };
    expect(token.content[0]!.text).toBe('[EMAIL_1]');
    const stdio = first.openSession('stdio'); // no TTL: it ends with its process
    await first.execute(find('max'), undefined, stdio.context);
    const id = `http-${createHash('sha256').update('kept-id').digest('hex').slice(0, 32)}`;
    // Shutdown as serve --http does it: sessions are let go first, then the transports close.
    await first.closeSessions();
    await client.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await shared.keys(id)).toEqual(['pii']);
    expect(await shared.keys(stdio.id)).toEqual([]);
    const next = gateway(shared); // another process
    const second = next.openSession('http', { id, ttlMs: 60_000 });
    sent.length = 0;
    await next.execute(send('[EMAIL_1]'), undefined, second.context);
    expect(sent).toEqual(['lee@example.com']);
  });
});
