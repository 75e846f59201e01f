// The secret guard between upstreams and the sandbox: a real OpenAPI source against the real pets
// server (which echoes the request), and tool results of every content kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PETS_SPEC_FILE, PETS_TOKEN, startPetsServer, type PetsServer } from '../../test/fixtures/openapi/pets-server.js';
import { UpstreamError } from '../common/index.js';
import { OpenApiSourceSchema } from '../config/index.js';
import { createSecretRedactor } from '../privacy/index.js';
import { createOpenApiSource } from '../upstream/index.js';
import { outcomeInvoker, type ResultCaller } from '../upstream/index.js';
import { redactToolResult, secretGuard } from './secret-guard.js';

const QUERY_KEY = 'k~12!3456';
const secrets = createSecretRedactor([PETS_TOKEN, `Bearer ${PETS_TOKEN}`, QUERY_KEY]);
let server: PetsServer;

beforeAll(async () => {
  server = await startPetsServer();
});
afterAll(() => server.close());

describe('secret guard', () => {
  it('redacts an OpenAPI echo of the bearer token and of a query credential that URL-encodes', async () => {
    const api = await createOpenApiSource('q', OpenApiSourceSchema.parse({
      spec: PETS_SPEC_FILE, baseUrl: server.baseUrl, auth: { type: 'query', name: 'api_key', value: QUERY_KEY }, headers: { authorization: `Bearer ${PETS_TOKEN}` },
    }));
    const caller: ResultCaller = { callTool: (_server, tool, args, options) => api.callTool(tool, args, options) };
    const echo = await outcomeInvoker(caller, secretGuard(secrets)).callTool('q', 'echoRequest', {}, { timeoutMs: 2_000 });
    expect(server.seen.at(-1)!.url).toBe('/v1/echo?api_key=k%7E12%213456');
    const text = JSON.stringify(echo);
    expect(text).not.toMatch(/pets-s3cret|k%7E12|k~12/);
    expect(echo.ok && echo.value).toMatchObject({ url: '/v1/echo?api_key=[SECRET]', headers: { authorization: '[SECRET]' } });
  });

  it('redacts text, structured content, base64 media and resource blobs', () => {
    const body = Buffer.from(`\u0000\u0001 GET / HTTP/1.1\r\nAuthorization: Bearer ${PETS_TOKEN}\r\n`);
    const out = redactToolResult({
      content: [
        { type: 'text', text: `{"auth":"Bearer ${PETS_TOKEN.replace(/-/g, '\\u002d')}"}` },
        { type: 'image', mimeType: 'image/png', data: body.toString('base64') },
        { type: 'resource', resource: { uri: 'x:/y', mimeType: 'application/octet-stream', blob: body.toString('base64url') } },
      ],
      structuredContent: { nested: [{ k: encodeURIComponent(PETS_TOKEN) }] },
    }, secrets);
    const items = out.content!;
    expect(items[0]!.text).toBe('{"auth":"[SECRET]"}');
    expect(Buffer.from(items[1]!.data!, 'base64').toString('latin1')).toContain('Authorization: [SECRET]\r\n');
    expect(Buffer.from(items[2]!.resource!.blob!, 'base64url').toString('latin1')).toContain('Authorization: [SECRET]\r\n');
    expect(out.structuredContent).toEqual({ nested: [{ k: '[SECRET]' }] });
  });

  it('answers the same result object when it holds no secret', () => {
    const result = { content: [{ type: 'text', text: 'hello' }] };
    expect(redactToolResult(result, secrets)).toBe(result);
  });

  it('redacts error messages and keeps their code', async () => {
    const failing: ResultCaller = {
      callTool: async () => {
        throw new UpstreamError('UPSTREAM_UNAVAILABLE', `request failed: invalid credentials: Bearer ${PETS_TOKEN.replace(/\//g, '\\/')}`);
      },
    };
    expect(await outcomeInvoker(failing, secretGuard(secrets)).callTool('s', 't', {}, { timeoutMs: 1_000 }))
      .toEqual({ ok: false, error: { code: 'UPSTREAM_UNAVAILABLE', message: 'request failed: invalid credentials: [SECRET]' } });
    const plain: ResultCaller = { callTool: async () => { throw new Error(`boom ${QUERY_KEY}`); } };
    expect(await outcomeInvoker(plain, secretGuard(secrets)).callTool('s', 't', {}, { timeoutMs: 1_000 }))
      .toEqual({ ok: false, error: { code: 'UPSTREAM_UNAVAILABLE', message: 'boom [SECRET]' } });
  });
});
