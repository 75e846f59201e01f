// The HTTP side of an OpenAPI source against a real node:http server on loopback: auth injected
// by the host, argument layout on the wire, results in the MCP shape, errors, timeouts, limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PETS_SPEC_FILE, PETS_TOKEN, startPetsServer, type PetsServer } from '../../../test/fixtures/openapi/pets-server.js';
import { OpenApiSourceSchema } from '../../config/index.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenApiSource, createOpenApiSourceFromDocument, type OpenApiSource } from './source.js';
import type { OpenApiDocument } from './types.js';

let server: PetsServer;
let api: OpenApiSource;
const call = (name: string, args: Record<string, unknown> = {}, timeoutMs = 5_000) => api.callTool(name, args, { timeoutMs });

beforeAll(async () => {
  server = await startPetsServer();
  const config = OpenApiSourceSchema.parse({
    spec: PETS_SPEC_FILE, baseUrl: server.baseUrl, auth: { type: 'bearer', token: PETS_TOKEN },
    timeoutMs: 300, maxResponseBytes: 100_000,
  });
  api = await createOpenApiSource('pets', config);
});
afterAll(() => server.close());

describe('OpenAPI HTTP calls', () => {
  it('injects the bearer token and answers a JSON body as structuredContent', async () => {
    const result = await call('listPets', { limit: 1 });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual([{ id: 1, name: 'Rex', tag: 'dog' }]);
    const last = server.seen.at(-1)!;
    expect(last.url).toBe('/v1/pets?limit=1');
    expect(last.headers.authorization).toBe(`Bearer ${PETS_TOKEN}`);
  });

  it('puts path, query (exploded arrays), header and body fields where the spec says', async () => {
    await call('listPets', { tag: ['dog', 'cat'], 'X-Request-Id': 'r-1' });
    expect(server.seen.at(-1)!.url).toBe('/v1/pets?tag=dog&tag=cat');
    expect(server.seen.at(-1)!.headers['x-request-id']).toBe('r-1');
    const created = await call('createPet', { body: { name: 'Kit', tag: 'cat' } });
    expect(created.structuredContent).toMatchObject({ id: 3, name: 'Kit' });
    const parts = await call('get_things_id_parts', { id: 'a b/c', query_id: 'q' });
    expect(server.seen.at(-1)!.url).toBe('/v1/things/a%20b%2Fc/parts?id=q');
    expect(parts.structuredContent).toEqual({ name: 'a b/c', children: [{ name: 'q' }] });
  });

  it('answers text as text content and an empty 204 as null', async () => {
    expect(await call('getText')).toEqual({ content: [{ type: 'text', text: 'hello, pets' }] });
    const deleted = await call('deletePet', { petId: 3 });
    expect(deleted.isError).toBeFalsy();
    expect(deleted.structuredContent).toBeNull();
  });

  it('turns a non-2xx answer into an error result with the status and the whole body (the bridge bounds it after redaction)', async () => {
    const result = await call('get-pet', { petId: 99 });
    expect(result.isError).toBe(true);
    const text = (result.content as { text: string }[])[0]!.text;
    expect(text).toMatch(/^HTTP 404 Not Found from GET \/pets\/\{petId\}: \{"code":404,"message":"no pet 99"/);
    expect(text).toMatch(/x{10000}"\}$/);
  });

  it('times out with UPSTREAM_TIMEOUT at the smaller of the source and call timeouts', async () => {
    const started = Date.now();
    await expect(call('slow', {}, 10_000)).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT', message: expect.stringContaining('openapi "pets" GET /slow: no complete response within 300 ms') });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a response body over maxResponseBytes with LIMIT_RESULT_SIZE', async () => {
    await expect(call('big')).rejects.toMatchObject({ code: 'LIMIT_RESULT_SIZE', message: expect.stringContaining('larger than maxResponseBytes (100000 bytes)') });
  });

  it('refuses path values that would climb out of the path template', async () => {
    await expect(call('get_things_id_parts', { id: '..' })).rejects.toMatchObject({ code: 'ARGUMENT_INVALID' });
  });

  it('reports an unreachable API as UPSTREAM_UNAVAILABLE and an unknown operation as OPERATION_UNKNOWN', async () => {
    const dead = await createOpenApiSource('dead', OpenApiSourceSchema.parse({ spec: PETS_SPEC_FILE, baseUrl: 'http://127.0.0.1:1/v1' }));
    await expect(dead.callTool('listPets', {}, { timeoutMs: 2_000 })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await expect(call('nope')).rejects.toMatchObject({ code: 'OPERATION_UNKNOWN' });
  });

  it('sends query and header credentials, and loads the spec from a URL', async () => {
    const viaUrl = await createOpenApiSource('q', OpenApiSourceSchema.parse({
      spec: `${server.url}/openapi.yaml`, baseUrl: server.baseUrl,
      auth: { type: 'query', name: 'api_key', value: 'k-123456' }, headers: { authorization: `Bearer ${PETS_TOKEN}` },
    }));
    await viaUrl.callTool('echoRequest', {}, { timeoutMs: 2_000 });
    expect(server.seen.at(-1)!.url).toBe('/v1/echo?api_key=k-123456');
    expect(server.seen.at(-1)!.headers.authorization).toBe(`Bearer ${PETS_TOKEN}`);
  });

  it('follows same-origin redirects as fetch does, and refuses another origin and loops', async () => {
    const seen: string[] = [];
    const redirecting = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url}${body ? ` ${body}` : ''}`);
        if (req.url === '/see-other') return res.writeHead(303, { location: '/done' }).end();
        if (req.url === '/moved') return res.writeHead(308, { location: '/done' }).end();
        if (req.url === '/away') return res.writeHead(302, { location: 'http://example.invalid/steal' }).end();
        if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, body }));
      });
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const post = (path: string, operationId: string) => ({ [path]: { post: { operationId, requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: { '200': { description: 'ok' } } } } });
      const document = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { ...post('/see-other', 'seeOther'), ...post('/moved', 'moved'), ...post('/away', 'away'), ...post('/loop', 'loop') } } as unknown as OpenApiDocument;
      const baseUrl = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
      const source = createOpenApiSourceFromDocument('r', OpenApiSourceSchema.parse({ spec: 'inline.json', baseUrl }), document, { location: 'inline.json', hash: 'x' });
      const body = { body: { n: 1 } };
      expect((await source.callTool('seeOther', body, { timeoutMs: 2_000 })).structuredContent).toEqual({ method: 'GET', body: '' });
      expect((await source.callTool('moved', body, { timeoutMs: 2_000 })).structuredContent).toEqual({ method: 'POST', body: '{"n":1}' });
      const away = await source.callTool('away', body, { timeoutMs: 2_000 });
      expect(away).toMatchObject({ isError: true, content: [{ text: 'openapi "r" POST /away: HTTP 302 redirect to another origin refused' }] });
      const loop = await source.callTool('loop', body, { timeoutMs: 2_000 });
      expect(loop).toMatchObject({ isError: true, content: [{ text: 'openapi "r" POST /loop: HTTP 302 redirect loop' }] });
      expect(seen.filter((line) => line.startsWith('POST /loop'))).toHaveLength(1);
      expect(seen.filter((line) => line.startsWith('GET /loop'))).toHaveLength(5);
    } finally {
      redirecting.closeAllConnections();
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
    }
  });

  it('sends an idempotent request once more when the server closed a kept-alive socket before answering', async () => {
    let requests = 0;
    const flaky = createServer((req, res) => {
      requests++;
      if (requests === 1) return req.socket.destroy(); // "other side closed", no answer
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    try {
      const document = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/x': { get: { operationId: 'x', responses: { '200': { description: 'ok' } } }, post: { operationId: 'y', responses: { '200': { description: 'ok' } } } } } } as unknown as OpenApiDocument;
      const baseUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
      const source = createOpenApiSourceFromDocument('f', OpenApiSourceSchema.parse({ spec: 'inline.json', baseUrl }), document, { location: 'inline.json', hash: 'x' });
      expect((await source.callTool('x', {}, { timeoutMs: 2_000 })).structuredContent).toEqual({ ok: true });
      expect(requests).toBe(2);
      requests = 0;
      await expect(source.callTool('y', {}, { timeoutMs: 2_000 })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(requests).toBe(1); // POST is not sent twice
    } finally {
      flaky.closeAllConnections();
      await new Promise<void>((resolve) => flaky.close(() => resolve()));
    }
  });
});
