import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/index.js';
import { serveHttp, type HttpGateway } from './http.js';

const gateways: HttpGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

async function start(maxBodyBytes: number): Promise<HttpGateway> {
  const gateway = await serveHttp(() => new Server({ name: 'http-test', version: '1.0.0' }, { capabilities: { tools: {} } }), { host: '127.0.0.1', port: 0, maxBodyBytes }, silentLogger);
  gateways.push(gateway);
  return gateway;
}

const post = (url: string, body: string) => fetch(url, {
  method: 'POST', body, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
});

describe('serveHttp request bodies', () => {
  it('answers 413 to a body over maxBodyBytes, naming the limit', async () => {
    const gateway = await start(1_000);
    const response = await post(gateway.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(2_000) } }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: -32000, message: 'request body over 1000 bytes' } });
  });

  it('reads a body within the limit and answers 400 when it is not JSON', async () => {
    const gateway = await start(1_000);
    const response = await post(gateway.url, '{ not json');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: -32700 } });
    expect(gateway.sessionCount()).toBe(0);
  });
});
