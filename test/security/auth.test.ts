// What an outside check tries against the authenticated gateway, with tokens from a real
// authorization server (oidc-provider) and forgeries made from them: no token, expired, wrong
// audience, wrong issuer, alg none, HS256 keyed with the issuer's public key, a token for another
// resource, tampered signature and payload, a scope missing, an API key wrong by one character,
// and a valid token of principal B presenting principal A's session id. Each is refused with
// the right status and challenge, and A's session goes on being served.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { base64url, decodeJwt, exportSPKI, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, spawnHttpGateway, tempDir } from '../e2e/harness.js';
import { freePort } from '../support/local-servers.js';
import { startOidcServer, type OidcServer } from '../support/oidc-server.js';
import { startRecordingUpstream, type RecordingUpstream } from '../support/recording-upstream.js';

const SCOPE = 'mcp:tools';
const API_KEY = 'ck_9f2b7c4e1a8d3f6b0e5c2a9d7f4b1e8c';
const OTHER_RESOURCE = 'http://127.0.0.1:1/mcp';

describe('authentication under attack', () => {
  let oidc: OidcServer;
  let stranger: OidcServer;
  let upstream: RecordingUpstream;
  let gateway: Awaited<ReturnType<typeof spawnHttpGateway>>;
  let resource: string;
  let metadataUrl: string;
  let tokenA: string;
  let clientA: Client;
  let transportA: StreamableHTTPClientTransport;

  /** One POST to /mcp as a client would send it; the status, challenge and JSON-RPC error. */
  async function post(authorization: string | undefined, body: unknown = initialize(), sessionId?: string) {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18',
        ...(authorization ? { authorization } : {}), ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, challenge: response.headers.get('www-authenticate') ?? '', text: await response.text() };
  }
  const initialize = () => ({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'attacker', version: '1' } } });
  const invalid = (description: string) => `Bearer resource_metadata="${metadataUrl}", error="invalid_token", error_description="${description}"`;

  beforeAll(async () => {
    const port = await freePort();
    resource = `http://127.0.0.1:${port}/mcp`;
    metadataUrl = `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`;
    [oidc, stranger, upstream] = await Promise.all([
      startOidcServer({ resources: { [resource]: SCOPE, [OTHER_RESOURCE]: SCOPE }, extraClients: { 'client-b': {}, 'short-lived': { ttlSeconds: 1 } } }),
      startOidcServer({ resources: { [resource]: SCOPE } }),
      startRecordingUpstream(),
    ]);
    const dir = tempDir('cemcp-auth-sec-');
    const file = path.join(dir, 'mcp.json');
    writeFileSync(file, JSON.stringify({
      mcpServers: { recording: { type: 'http', url: upstream.url } },
      cemcp: { auth: {
        resource, authorizationServers: [oidc.issuer], requiredScopes: [SCOPE], clockToleranceSeconds: 0,
        apiKeys: [{ name: 'ci', key: '${CEMCP_CI_KEY}', scopes: [SCOPE] }],
      } },
    }), { mode: 0o600 });
    gateway = await spawnHttpGateway(file, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CEMCP_CI_KEY: API_KEY }, ['--port', String(port)]);

    tokenA = await oidc.clientCredentialsToken(oidc.service.clientId, { resource, scope: SCOPE });
    clientA = new Client({ name: 'principal-a', version: '1.0.0' });
    transportA = new StreamableHTTPClientTransport(new URL(gateway.url), { requestInit: { headers: { authorization: `Bearer ${tokenA}` } } });
    await clientA.connect(transportA);
  });

  afterAll(async () => {
    await clientA?.close().catch(() => undefined);
    const exited = new Promise((resolve) => gateway?.child.once('exit', resolve));
    gateway?.child.kill('SIGTERM');
    await exited;
    await Promise.allSettled([oidc?.close(), stranger?.close(), upstream?.close()]);
  });

  it('no token: 401 pointing to the resource metadata', async () => {
    expect(await post(undefined)).toMatchObject({ status: 401, challenge: `Bearer resource_metadata="${metadataUrl}"` });
  });

  it('an expired token: 401 token expired', async () => {
    const token = await oidc.clientCredentialsToken('short-lived', { resource, scope: SCOPE });
    const exp = decodeJwt(token).exp!;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 1_100));
    expect(await post(`Bearer ${token}`)).toMatchObject({ status: 401, challenge: invalid('token expired') });
  });

  it('a token for another resource (wrong audience): 401', async () => {
    const token = await oidc.clientCredentialsToken(oidc.service.clientId, { resource: OTHER_RESOURCE, scope: SCOPE });
    expect(decodeJwt(token).aud).toBe(OTHER_RESOURCE);
    expect(await post(`Bearer ${token}`)).toMatchObject({ status: 401, challenge: invalid('token audience is not this resource') });
  });

  it('a token with no resource indicator (opaque, for the userinfo audience): 401', async () => {
    const token = await oidc.clientCredentialsToken(oidc.service.clientId, {});
    expect((await post(`Bearer ${token}`)).status).toBe(401);
  });

  it('a token for this resource from an authorization server not configured (wrong issuer): 401', async () => {
    const token = await stranger.clientCredentialsToken(stranger.service.clientId, { resource, scope: SCOPE });
    expect(decodeJwt(token).aud).toBe(resource);
    expect(await post(`Bearer ${token}`)).toMatchObject({ status: 401, challenge: invalid('token issuer not accepted') });
  });

  it('alg none, and HS256 keyed with the issuer\'s public key (as JWK and as PEM): 401', async () => {
    const [, payload] = tokenA.split('.') as [string, string, string];
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${payload}.`;
    expect(await post(`Bearer ${none}`)).toMatchObject({ status: 401 });
    const jwks = await (await fetch(`${oidc.issuer}/jwks`)).json() as { keys: JWK[] };
    const publicJwk = jwks.keys[0]!;
    const pem = await exportSPKI(await importJWK(publicJwk, 'RS256') as CryptoKey);
    for (const secret of [pem, JSON.stringify(publicJwk)]) {
      const forged = await new SignJWT(decodeJwt(tokenA)).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: publicJwk.kid! }).sign(new TextEncoder().encode(secret));
      expect(await post(`Bearer ${forged}`)).toMatchObject({ status: 401, challenge: invalid('token signing algorithm not accepted') });
    }
  });

  it('a tampered signature, and a payload changed under a valid signature: 401', async () => {
    const [header, payload, signature] = tokenA.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect(await post(`Bearer ${header}.${payload}.${flipped}`)).toMatchObject({ status: 401, challenge: invalid('token signature invalid') });
    const elevated = base64url.encode(JSON.stringify({ ...decodeJwt(tokenA), sub: 'admin', client_id: 'admin' }));
    expect(await post(`Bearer ${header}.${elevated}.${signature}`)).toMatchObject({ status: 401, challenge: invalid('token signature invalid') });
  });

  it('a valid token without the required scope: 403 insufficient_scope', async () => {
    const token = await oidc.clientCredentialsToken(oidc.service.clientId, { resource });
    expect(decodeJwt(token).scope ?? '').not.toContain(SCOPE);
    expect(await post(`Bearer ${token}`)).toMatchObject({
      status: 403,
      challenge: `Bearer resource_metadata="${metadataUrl}", error="insufficient_scope", error_description="missing scope ${SCOPE}", scope="${SCOPE}"`,
    });
  });

  it('an API key wrong by one character: 401; the right one: 200', async () => {
    const last = API_KEY.at(-1) === 'c' ? 'd' : 'c';
    expect(await post(`Bearer ${API_KEY.slice(0, -1)}${last}`)).toMatchObject({ status: 401, challenge: invalid('invalid token') });
    expect((await post(`Bearer ${API_KEY}`)).status).toBe(200);
  });

  it('principal B presenting A\'s session id gets 404, as for an unknown id; A is still served', async () => {
    const sessionA = transportA.sessionId!;
    expect(sessionA).toBeTruthy();
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
    const tokenB = await oidc.clientCredentialsToken('client-b', { resource, scope: SCOPE });
    const asB = await post(`Bearer ${tokenB}`, list, sessionA);
    const asKey = await post(`Bearer ${API_KEY}`, list, sessionA);
    const unknown = await post(`Bearer ${tokenB}`, list, '00000000-0000-4000-8000-000000000000');
    expect(asB.status).toBe(404);
    expect(asKey.status).toBe(404);
    expect(asB.text).toBe(unknown.text);
    // A forged token claiming A's subject is refused before any session is looked at.
    const [header, , signature] = tokenA.split('.') as [string, string, string];
    const claimsA = base64url.encode(JSON.stringify({ ...decodeJwt(tokenB), sub: decodeJwt(tokenA).sub, client_id: decodeJwt(tokenA).client_id }));
    expect((await post(`Bearer ${header}.${claimsA}.${signature}`, list, sessionA)).status).toBe(401);

    const run = await execute(clientA, 'return await recording.whoami({ note: "A after the attacks" });');
    expect(run.isError).toBe(false);
    expect(run.text).toContain('A after the attacks');
    expect(JSON.stringify(upstream.requests)).not.toContain(tokenA);
  });
});
