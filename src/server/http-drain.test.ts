// The drain gate inside serveHttp, with the official SDK client: a call in flight finishes and is
// answered while new sessions, new requests and new streams get 503 + Connection: close + Retry-After.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/index.js';
import { HttpDrain } from './http-drain.js';
import { serveHttp, type HttpGateway } from './http.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
});

/** A server whose one tool answers only once `release` is called. */
function gatedServer(gate: Promise<void>, started: () => void): Server {
  const server = new Server({ name: 'drain-test', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [{ name: 'wait', inputSchema: { type: 'object' } }] }));
  server.setRequestHandler(CallToolRequestSchema, async () => {
    started();
    await gate;
    return { content: [{ type: 'text', text: 'finished' }] };
  });
  return server;
}

const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const initialize = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

describe('HttpDrain in serveHttp', () => {
  it('lets a call in flight finish while refusing new sessions, requests and streams with 503', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let callStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (callStarted = resolve));
    const drain = new HttpDrain({ retryAfterS: 7 });
    const http: HttpGateway = await serveHttp(() => gatedServer(gate, callStarted), { host: '127.0.0.1', port: 0, drain }, silentLogger);
    closers.push(() => http.close());
    const transport = new StreamableHTTPClientTransport(new URL(http.url));
    const client = new Client({ name: 'drain-test', version: '1.0.0' });
    await client.connect(transport);
    closers.unshift(() => client.close());

    const call = client.callTool({ name: 'wait', arguments: {} });
    await started;
    expect(drain.requestsInFlight).toBe(1);
    drain.start();
    expect(drain.isDraining).toBe(true);

    const fresh = await fetch(http.url, { method: 'POST', headers, body: initialize(41) });
    expect(fresh.status).toBe(503);
    expect(fresh.headers.get('connection')).toBe('close');
    expect(fresh.headers.get('retry-after')).toBe('7');
    expect(await fresh.json()).toMatchObject({ jsonrpc: '2.0', id: 41, error: { code: -32000, message: expect.stringContaining('shutting down (draining)') } });

    const session = { ...headers, 'mcp-session-id': transport.sessionId!, 'mcp-protocol-version': '2025-06-18' };
    const another = await fetch(http.url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }) });
    expect(another.status).toBe(503);
    expect(await another.json()).toMatchObject({ id: 9 });
    const stream = await fetch(http.url, { method: 'GET', headers: { ...session, accept: 'text/event-stream' } });
    expect(stream.status).toBe(503);
    await stream.body?.cancel();
    // A notification is not new work: it still reaches the session (202 Accepted).
    const note = await fetch(http.url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/roots/list_changed' }) });
    expect(note.status).toBe(202);

    expect(await drain.whenIdle(30)).toBe(false); // the call is still running
    release();
    expect(await call).toMatchObject({ content: [{ type: 'text', text: 'finished' }] });
    expect(await drain.whenIdle(10_000)).toBe(true);
    expect(drain.requestsInFlight).toBe(0);
  });

  it('refuses nothing before it starts, and waits for other work given to whenIdle', async () => {
    const drain = new HttpDrain();
    expect(drain.refuses('POST', { jsonrpc: '2.0', id: 1, method: 'tools/list' })).toBe(false);
    drain.start();
    expect(drain.refuses('POST', [{ jsonrpc: '2.0', id: 1, result: {} }, { jsonrpc: '2.0', id: 2, method: 'ping' }])).toBe(true);
    expect(drain.refuses('POST', { jsonrpc: '2.0', id: 1, result: {} })).toBe(false); // an answer to the gateway's elicitation
    expect(drain.refuses('DELETE', undefined)).toBe(false);
    let busy = 1;
    const idle = drain.whenIdle(10_000, () => busy);
    busy = 0;
    expect(await idle).toBe(true);
  });
});
