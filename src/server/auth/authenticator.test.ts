import type { IncomingMessage } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthSchema } from '../../config/auth-schema.js';
import { startTestIssuer, type TestIssuer } from '../../../test/support/jwt-issuer.js';
import type { AuthOutcome } from '../http.js';
import { hashApiKey } from './api-keys.js';
import { createAuthenticator } from './authenticator.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const METADATA = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer.close());

const now = () => Math.floor(Date.now() / 1000);
const request = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

function build(raw: Record<string, unknown> = {}, env: Record<string, string> = {}, jwksCooldownMs?: number) {
  const config = AuthSchema.parse({ resource: RESOURCE, authorizationServers: [issuer.issuer], requiredScopes: ['mcp'], ...raw });
  return createAuthenticator(config, { env, file: 'mcp.json', ...(jwksCooldownMs !== undefined ? { jwksCooldownMs } : {}) });
}

function claims(extra: Record<string, unknown> = {}) {
  return { iss: issuer.issuer, aud: RESOURCE, sub: 'alice', client_id: 'app', scope: 'mcp extra', exp: now() + 300, iat: now(), ...extra };
}

async function refusal(outcome: Promise<AuthOutcome>) {
  const result = await outcome;
  if (result.ok) throw new Error(`accepted as ${result.principal.subject}`);
  return { status: result.status, challenge: result.headers['www-authenticate'] ?? '', message: result.message };
}

describe('JWT access tokens', () => {
  it('accepts a token for this resource from the issuer: sub, client_id, scopes, issuer', async () => {
    const outcome = await build().authenticate(request(`Bearer ${await issuer.sign(claims())}`));
    expect(outcome).toEqual({ ok: true, principal: { subject: 'alice', clientId: 'app', scopes: ['mcp', 'extra'], source: 'oauth', issuer: issuer.issuer } });
  });

  it('takes azp when there is no client_id, and the client as subject when there is no sub', async () => {
    const outcome = await build().authenticate(request(`Bearer ${await issuer.sign(claims({ client_id: undefined, sub: undefined, azp: 'svc' }))}`));
    expect(outcome).toMatchObject({ ok: true, principal: { subject: 'svc', clientId: 'svc' } });
  });

  it.each([
    ['expired', { exp: now() - 120 }, 'token expired'],
    ['not yet valid', { nbf: now() + 600 }, 'token not yet valid'],
    ['another audience', { aud: 'https://other.example.com/mcp' }, 'token audience is not this resource'],
    ['another issuer', { iss: 'https://evil.example.com' }, 'token issuer not accepted'],
    ['no exp', { exp: undefined }, 'token claim exp missing or invalid'],
  ])('refuses a token %s with 401 invalid_token and the metadata URL', async (_, extra, description) => {
    const { status, challenge } = await refusal(build().authenticate(request(`Bearer ${await issuer.sign(claims(extra))}`)));
    expect(status).toBe(401);
    expect(challenge).toBe(`Bearer resource_metadata="${METADATA}", error="invalid_token", error_description="${description}"`);
  });

  it('accepts exp and nbf within the clock tolerance, not beyond it', async () => {
    const lenient = build({ clockToleranceSeconds: 60 });
    expect((await lenient.authenticate(request(`Bearer ${await issuer.sign(claims({ exp: now() - 20, nbf: now() + 20 }))}`))).ok).toBe(true);
    expect((await lenient.authenticate(request(`Bearer ${await issuer.sign(claims({ exp: now() - 120 }))}`))).ok).toBe(false);
  });

  it('refuses alg none, HS256 keyed with the public key, and a tampered signature or payload', async () => {
    const authenticator = build();
    const header = (h: object) => base64url.encode(JSON.stringify(h));
    const body = base64url.encode(JSON.stringify(claims()));
    const none = `${header({ alg: 'none', typ: 'at+jwt' })}.${body}.`;
    const hs256 = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: issuer.publicJwk().kid! })
      .sign(new TextEncoder().encode(JSON.stringify(issuer.publicJwk())));
    const good = await issuer.sign(claims());
    const [h, p, s] = good.split('.') as [string, string, string];
    const tamperedSignature = `${h}.${p}.${s.slice(0, -4)}${s.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const tamperedPayload = `${h}.${base64url.encode(JSON.stringify(claims({ sub: 'root' })))}.${s}`;
    expect((await refusal(authenticator.authenticate(request(`Bearer ${none}`)))).challenge).toContain('error="invalid_token"');
    expect((await refusal(authenticator.authenticate(request(`Bearer ${hs256}`)))).challenge).toContain('token signing algorithm not accepted');
    expect((await refusal(authenticator.authenticate(request(`Bearer ${tamperedSignature}`)))).challenge).toContain('token signature invalid');
    expect((await refusal(authenticator.authenticate(request(`Bearer ${tamperedPayload}`)))).challenge).toContain('token signature invalid');
  });

  it('refuses a token signed by a key that is not the issuer\'s, and an algorithm off the allow-list', async () => {
    const other = await generateKeyPair('ES256');
    const forged = await issuer.sign(claims(), { key: other.privateKey });
    expect((await refusal(build().authenticate(request(`Bearer ${forged}`)))).challenge).toContain('token signature invalid');
    const only = build({ algorithms: ['RS256'] });
    expect((await refusal(only.authenticate(request(`Bearer ${await issuer.sign(claims())}`)))).challenge).toContain('token signing algorithm not accepted');
  });

  it('fetches the key set again for an unknown kid (rotation) and accepts the new key', async () => {
    const authenticator = build({}, {}, 0);
    expect((await authenticator.authenticate(request(`Bearer ${await issuer.sign(claims())}`))).ok).toBe(true);
    await issuer.rotate();
    const fetched = issuer.hits.get('/jwks') ?? 0;
    const outcome = await authenticator.authenticate(request(`Bearer ${await issuer.sign(claims({ sub: 'bob' }))}`));
    expect(outcome).toMatchObject({ ok: true, principal: { subject: 'bob' } });
    expect(issuer.hits.get('/jwks')).toBe(fetched + 1);
  });

  it('answers 403 insufficient_scope naming the required scopes', async () => {
    const { status, challenge } = await refusal(build({ requiredScopes: ['mcp', 'mcp:admin'] }).authenticate(request(`Bearer ${await issuer.sign(claims())}`)));
    expect(status).toBe(403);
    expect(challenge).toBe(`Bearer resource_metadata="${METADATA}", error="insufficient_scope", error_description="missing scope mcp:admin", scope="mcp mcp:admin"`);
  });

  it('answers 401 with only resource_metadata when no token is sent, and invalid_token for another scheme', async () => {
    const missing = await refusal(build().authenticate(request()));
    expect(missing).toMatchObject({ status: 401, challenge: `Bearer resource_metadata="${METADATA}"` });
    const basic = await refusal(build().authenticate(request('Basic YWxpY2U6c2VjcmV0')));
    expect(basic.status).toBe(401);
    expect(basic.challenge).toContain('error="invalid_token"');
  });
});

describe('issuer discovery', () => {
  it('falls back to openid-configuration, and answers 503 (not a token verdict) when the metadata names another issuer', async () => {
    const local = await startTestIssuer('RS256');
    try {
      local.metadata.oauthPath = false;
      const config = AuthSchema.parse({ resource: RESOURCE, authorizationServers: [local.issuer] });
      const token = await local.sign({ iss: local.issuer, aud: RESOURCE, sub: 'carol', exp: now() + 60 });
      expect(await createAuthenticator(config, { env: {}, file: 'mcp.json' }).authenticate(request(`Bearer ${token}`))).toMatchObject({ ok: true, principal: { subject: 'carol' } });
      expect(local.hits.get('/.well-known/openid-configuration')).toBe(1);
      local.metadata.issuerOverride = 'https://impostor.example.com';
      const fresh = createAuthenticator(config, { env: {}, file: 'mcp.json' });
      const result = await refusal(fresh.authenticate(request(`Bearer ${token}`)));
      expect(result.status).toBe(503);
    } finally {
      await local.close();
    }
  });

  it('uses cemcp.auth.jwksUri without discovery', async () => {
    const before = issuer.hits.get('/.well-known/oauth-authorization-server') ?? 0;
    const authenticator = build({ jwksUri: `${issuer.issuer}/jwks` });
    expect((await authenticator.authenticate(request(`Bearer ${await issuer.sign(claims())}`))).ok).toBe(true);
    expect(issuer.hits.get('/.well-known/oauth-authorization-server') ?? 0).toBe(before);
  });
});

describe('API keys', () => {
  const KEY = 'ck_live_4f9a1c2e8b7d6a5f';

  it('matches a key by its hash or by ${VAR}, one principal each, with their scopes', async () => {
    const authenticator = build({ requiredScopes: [], apiKeys: [
      { name: 'ci', hash: hashApiKey(KEY), scopes: ['mcp'] },
      { name: 'ops', key: '${OPS_KEY}' },
    ] }, { OPS_KEY: 'ops-secret-value' });
    expect(await authenticator.authenticate(request(`Bearer ${KEY}`))).toEqual({ ok: true, principal: { subject: 'ci', scopes: ['mcp'], source: 'api-key' } });
    expect(await authenticator.authenticate(request('Bearer ops-secret-value'))).toMatchObject({ ok: true, principal: { subject: 'ops', source: 'api-key' } });
  });

  it('refuses a key wrong by one character, and a key without a required scope (403)', async () => {
    const authenticator = build({ authorizationServers: [], apiKeys: [{ name: 'ci', hash: hashApiKey(KEY), scopes: [] }] });
    const wrong = await refusal(authenticator.authenticate(request(`Bearer ${KEY.slice(0, -1)}e`)));
    expect(wrong).toMatchObject({ status: 401, challenge: 'Bearer realm="cemcp", error="invalid_token", error_description="unknown API key"' });
    const scoped = await refusal(authenticator.authenticate(request(`Bearer ${KEY}`)));
    expect(scoped.status).toBe(403);
  });

  it('names the config path of a ${VAR} that is not set', () => {
    expect(() => build({ apiKeys: [{ name: 'ops', key: '${MISSING_KEY}' }] })).toThrow(/mcp\.json: cemcp\.auth\.apiKeys\.0\.key/);
  });

  it('hashes as sha256sum does', () => {
    expect(hashApiKey('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('introspection (RFC 7662)', () => {
  const introspect = () => build({
    authorizationServers: [issuer.issuer],
    introspection: { endpoint: `${issuer.issuer}/introspect`, clientId: 'gateway', clientSecret: '${INTROSPECT_SECRET}', cacheMs: 0 },
  }, { INTROSPECT_SECRET: 's3cret' });

  it('accepts an active opaque token for this resource, sending the gateway\'s client credentials', async () => {
    issuer.setIntrospection('opaque-1', { active: true, sub: 'dave', client_id: 'app', scope: 'mcp', aud: [RESOURCE], iss: issuer.issuer, exp: now() + 60 });
    expect(await introspect().authenticate(request('Bearer opaque-1'))).toEqual({ ok: true, principal: { subject: 'dave', clientId: 'app', scopes: ['mcp'], source: 'oauth', issuer: issuer.issuer } });
    expect(issuer.lastIntrospectionAuth()).toBe(`Basic ${Buffer.from('gateway:s3cret').toString('base64')}`);
  });

  it.each([
    ['inactive', { active: false }, 'token not active'],
    ['for another resource', { active: true, sub: 'dave', scope: 'mcp', aud: 'https://other.example.com/mcp' }, 'token audience is not this resource'],
    ['with no audience', { active: true, sub: 'dave', scope: 'mcp' }, 'token audience is not this resource'],
    ['from another issuer', { active: true, sub: 'dave', scope: 'mcp', aud: RESOURCE, iss: 'https://evil.example.com' }, 'token issuer not accepted'],
  ])('refuses a token %s', async (name, answer, description) => {
    const token = `opaque-${name.replace(/ /g, "-")}`;
    issuer.setIntrospection(token, answer);
    const result = await refusal(introspect().authenticate(request(`Bearer ${token}`)));
    expect(result.status).toBe(401);
    expect(result.challenge).toContain(`error_description="${description}"`);
  });
});

describe('metadata routes', () => {
  it('serves the metadata at the bare and path-suffixed well-known paths, none with API keys only', async () => {
    expect([...build().routes.keys()]).toEqual(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']);
    expect(build({ resource: 'https://example.com/tools/mcp' }).routes.has('/.well-known/oauth-protected-resource/tools/mcp')).toBe(true);
    expect(build({ authorizationServers: [], apiKeys: [{ name: 'ci', hash: hashApiKey('k') }] }).routes.size).toBe(0);
    expect(await exportJWK((await generateKeyPair('ES256')).publicKey)).toHaveProperty('kty', 'EC');
  });
});

describe('validated tokens', () => {
  it('verifies a token once for a session\'s requests, and a cached one still expires with its exp', async () => {
    const authenticator = build({ clockToleranceSeconds: 0 }, {}, 0);
    const token = await issuer.sign(claims({ exp: now() + 2 }));
    expect((await authenticator.authenticate(request(`Bearer ${token}`))).ok).toBe(true);
    // The key that signed it is gone: verifying again would fail, the validated token is still known.
    await issuer.rotate();
    expect((await build({ clockToleranceSeconds: 0 }, {}, 0).authenticate(request(`Bearer ${token}`))).ok).toBe(false);
    expect((await authenticator.authenticate(request(`Bearer ${token}`))).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, (now() + 2) * 1000 - Date.now() + 1_100));
    expect((await refusal(authenticator.authenticate(request(`Bearer ${token}`)))).challenge).toContain('token expired');
  });
});
