// Introspection (RFC 7662) of opaque access tokens issued by a real authorization server
// (oidc-provider): active and for this resource is a principal; for another resource, or
// revoked (active: false), is a 401.
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcServer, type OidcServer } from '../../../test/support/oidc-server.js';
import { AuthSchema } from '../../config/auth-schema.js';
import { createAuthenticator } from './authenticator.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const OTHER = 'https://other.example.com/mcp';

describe('introspection against oidc-provider', () => {
  let oidc: OidcServer;
  beforeAll(async () => {
    oidc = await startOidcServer({ resources: { [RESOURCE]: 'mcp', [OTHER]: 'mcp' }, opaqueResources: [RESOURCE, OTHER], extraClients: { introspector: {} } });
  });
  afterAll(() => oidc.close());

  const authenticator = () => createAuthenticator(AuthSchema.parse({
    resource: RESOURCE,
    requiredScopes: ['mcp'],
    introspection: { endpoint: `${oidc.issuer}/token/introspection`, clientId: 'introspector', clientSecret: '${INTROSPECTOR_SECRET}', cacheMs: 0 },
  }), { env: { INTROSPECTOR_SECRET: 'introspector-secret' }, file: 'mcp.json' });
  const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` } }) as IncomingMessage;

  it('accepts an active opaque token for this resource, and refuses it once revoked', async () => {
    const token = await oidc.clientCredentialsToken(oidc.service.clientId, { resource: RESOURCE, scope: 'mcp' });
    expect(token.split('.')).toHaveLength(1);
    const gate = authenticator();
    expect(await gate.authenticate(request(token))).toEqual({
      ok: true, principal: { subject: oidc.service.clientId, clientId: oidc.service.clientId, scopes: ['mcp'], source: 'oauth', issuer: oidc.issuer },
    });
    await oidc.revoke(oidc.service.clientId, token);
    expect(await gate.authenticate(request(token))).toMatchObject({ ok: false, status: 401, headers: { 'www-authenticate': expect.stringContaining('token not active') } });
  });

  it('refuses an opaque token for another resource, and one the server never issued', async () => {
    const token = await oidc.clientCredentialsToken(oidc.service.clientId, { resource: OTHER, scope: 'mcp' });
    expect(await authenticator().authenticate(request(token))).toMatchObject({ ok: false, status: 401, headers: { 'www-authenticate': expect.stringContaining('token audience is not this resource') } });
    expect(await authenticator().authenticate(request('made-up-token-value'))).toMatchObject({ ok: false, status: 401 });
  });
});
