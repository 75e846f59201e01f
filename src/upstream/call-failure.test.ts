// Real SDK servers on an in-memory transport pair: what the official client throws for each way a
// tools/call can fail, and the code cemcp gives it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyCallFailure } from './call-failure.js';

const context = { upstream: 'fixture', toolName: 'boom', timeoutMs: 200 };
const open: Client[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});

async function connect(server: Server | McpServer): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(clientSide);
  open.push(client);
  return client;
}

/** A low-level SDK Server whose tools/call handler does `handle`. */
function lowLevelServer(handle: () => unknown): Server {
  const server = new Server({ name: 'fixture', version: '1' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [{ name: 'boom', inputSchema: { type: 'object' } }] }));
  server.setRequestHandler(CallToolRequestSchema, handle as never);
  return server;
}

async function failureOf(client: Client, timeout = 5_000) {
  const error = await client.callTool({ name: 'boom', arguments: {} }, undefined, { timeout }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeDefined();
  return classifyCallFailure(error, context);
}

describe('classifyCallFailure', () => {
  it('makes a handler that throws (a JSON-RPC -32603 answer) a TOOL_ERROR with its message', async () => {
    const client = await connect(lowLevelServer(() => {
      throw new Error('the database is locked');
    }));
    const failure = await failureOf(client);
    expect(failure.code).toBe('TOOL_ERROR');
    expect(failure.message).toBe('the database is locked');
    expect(failure.details).toMatchObject({ upstream: 'fixture', rpcCode: ErrorCode.InternalError });
  });

  it('makes an application error code from the tool a TOOL_ERROR', async () => {
    const client = await connect(lowLevelServer(() => {
      throw new McpError(ErrorCode.InvalidParams, 'id must be positive');
    }));
    expect((await failureOf(client)).code).toBe('TOOL_ERROR');
  });

  it('sees that McpServer turns a throwing tool into an isError result (no exception to classify)', async () => {
    const server = new McpServer({ name: 'fixture', version: '1' });
    server.registerTool('boom', { description: 'throws' }, () => {
      throw new Error('high-level failure');
    });
    const client = await connect(server);
    const result = await client.callTool({ name: 'boom', arguments: {} });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('high-level failure');
  });

  it('keeps a malformed answer from a raw JSON-RPC peer UPSTREAM_PROTOCOL', async () => {
    // The SDK's own Server checks its handler's result (and answers -32602); a peer that does not is this one.
    const [clientSide, peer] = InMemoryTransport.createLinkedPair();
    peer.onmessage = (message) => {
      if (!('id' in message) || !('method' in message)) return;
      const result = message.method === 'initialize'
        ? { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'raw', version: '1' } }
        : { content: 'not an array' };
      void peer.send({ jsonrpc: '2.0', id: message.id, result });
    };
    await peer.start();
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(clientSide);
    open.push(client);
    const failure = await failureOf(client);
    expect(failure.code).toBe('UPSTREAM_PROTOCOL');
    expect(failure.message).toMatch(/^upstream "fixture" tool "boom": /);
  });

  it('keeps a missing method UPSTREAM_PROTOCOL', async () => {
    const server = new Server({ name: 'no-tools', version: '1' }, { capabilities: {} });
    const client = await connect(server);
    expect((await failureOf(client)).code).toBe('UPSTREAM_PROTOCOL');
  });

  it('makes no answer in time UPSTREAM_TIMEOUT and a closed connection UPSTREAM_UNAVAILABLE', async () => {
    const client = await connect(lowLevelServer(() => new Promise(() => {})));
    const timedOut = await failureOf(client, 50);
    expect(timedOut.code).toBe('UPSTREAM_TIMEOUT');
    expect(timedOut.message).toBe('upstream "fixture" tool "boom": no answer within 200 ms');
    const pending = client.callTool({ name: 'boom', arguments: {} }).then(() => undefined, (e: unknown) => e);
    await client.close();
    expect(classifyCallFailure(await pending, context).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('keeps anything that is not an MCP error UPSTREAM_PROTOCOL', () => {
    expect(classifyCallFailure(new TypeError('bad'), context).code).toBe('UPSTREAM_PROTOCOL');
  });
});
