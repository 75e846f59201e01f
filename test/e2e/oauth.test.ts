// The gateway as an OAuth 2.1 resource server against a real authorization server
// (oidc-provider, started here) with the official SDK client's OAuth support on the other side:
// the client finds the metadata from the 401's resource_metadata, gets a JWT access token for
// this resource by client_credentials and by authorization code + PKCE (consent automated
// through the provider's interactions), then searches and executes; the audit record names the
// principal, and the upstream never sees the client's token.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformation, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/local-servers.js';
import { startOidcServer, type OidcServer } from '../support/oidc-server.js';
import { startRecordingUpstream, type RecordingUpstream } from '../support/recording-upstream.js';
import { execute, search, spawnHttpGateway, tempDir } from './harness.js';

const SCOPE = 'mcp:tools';

/** A user-facing client: the SDK drives authorization code + PKCE; `redirectToAuthorization` plays the browser. */
class BrowserClientProvider implements OAuthClientProvider {
  private saved?: OAuthTokens;
  private verifier = '';
  /** The authorization code the redirect brought back, once the user consented. */
  code?: Promise<string>;

  constructor(private readonly oidc: OidcServer, private readonly account: string) {}

  get redirectUrl(): string {
    return this.oidc.app.redirectUri;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { redirect_uris: [this.oidc.app.redirectUri], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], client_name: 'cemcp e2e' };
  }
  clientInformation(): OAuthClientInformation {
    return { client_id: this.oidc.app.clientId };
  }
  tokens(): OAuthTokens | undefined {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL): void {
    this.code = this.oidc.consent(url, this.account);
  }
  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }
  codeVerifier(): string {
    return this.verifier;
  }
}

describe('OAuth with a real authorization server and the SDK client', () => {
  let oidc: OidcServer;
  let upstream: RecordingUpstream;
  let gateway: Awaited<ReturnType<typeof spawnHttpGateway>>;
  let resource: string;
  let dir: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    const port = await freePort();
    resource = `http://127.0.0.1:${port}/mcp`;
    [oidc, upstream] = await Promise.all([startOidcServer({ resources: { [resource]: SCOPE } }), startRecordingUpstream()]);
    dir = tempDir('cemcp-oauth-');
    const file = path.join(dir, 'mcp.json');
    writeFileSync(file, JSON.stringify({
      mcpServers: { recording: { type: 'http', url: upstream.url } },
      cemcp: { auth: { resource, authorizationServers: [oidc.issuer], requiredScopes: [SCOPE] } },
    }), { mode: 0o600 });
    gateway = await spawnHttpGateway(file, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, ['--port', String(port)]);
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    const exited = new Promise((resolve) => gateway?.child.once('exit', resolve));
    gateway?.child.kill('SIGTERM');
    await exited;
    await Promise.allSettled([oidc?.close(), upstream?.close()]);
  });

  it('publishes its protected resource metadata and challenges a request without a token', async () => {
    const metadata = await (await fetch(`http://127.0.0.1:${new URL(resource).port}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(metadata).toEqual({ resource, authorization_servers: [oidc.issuer], scopes_supported: [SCOPE], bearer_methods_supported: ['header'], resource_name: 'cemcp' });
    const refused = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="http://127.0.0.1:${new URL(resource).port}/.well-known/oauth-protected-resource/mcp"`);
  });

  it('client_credentials: the SDK client gets a token for this resource and searches and executes', async () => {
    // The SDK's client_credentials provider asks for its own `scope` (not the metadata's scopes_supported).
    const provider = new ClientCredentialsProvider({ clientId: oidc.service.clientId, clientSecret: oidc.service.clientSecret, scope: SCOPE, expectedIssuer: oidc.issuer });
    const client = new Client({ name: 'oauth-service', version: '1.0.0' });
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url), { authProvider: provider }));
    const token = provider.tokens()?.access_token ?? '';
    expect(decodeJwt(token)).toMatchObject({ iss: oidc.issuer, aud: resource, client_id: oidc.service.clientId, scope: SCOPE });

    const found = await search(client, { query: 'whoami note', detail: 'name' });
    expect(found.text.split('\n')[0]).toBe('recording.whoami');
    const run = await execute(client, 'return await recording.whoami({ note: "from the service" });');
    expect(run.isError).toBe(false);
    expect(run.text).toContain('from the service');
    // No token passthrough: the upstream never saw the client's token or any of its Authorization.
    expect(upstream.requests.length).toBeGreaterThan(0);
    expect(JSON.stringify(upstream.requests)).not.toContain(token);
    expect(upstream.requests.every((headers) => headers.authorization === undefined)).toBe(true);
  });

  it('authorization code + PKCE: the user consents, the SDK client finishes and executes as that user', async () => {
    const provider = new BrowserClientProvider(oidc, 'alice');
    const first = new Client({ name: 'oauth-user', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(gateway.url), { authProvider: provider });
    await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.code).toBeDefined();
    await transport.finishAuth(await provider.code!);
    const token = provider.tokens()?.access_token ?? '';
    expect(decodeJwt(token)).toMatchObject({ iss: oidc.issuer, aud: resource, sub: 'alice', scope: SCOPE });

    const client = new Client({ name: 'oauth-user', version: '1.0.0' });
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url), { authProvider: provider }));
    const run = await execute(client, 'return await recording.whoami({ note: "from alice" });');
    expect(run.isError).toBe(false);
    expect(run.text).toContain('from alice');
    expect(JSON.stringify(upstream.requests)).not.toContain(token);

    // The audit record of that run names the principal the token stood for.
    const auditDir = path.join(dir, '.cemcp/audit');
    const principals = () => readdirSync(auditDir).filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(path.join(auditDir, f), 'utf8').split('\n').filter(Boolean))
      .map((line) => (JSON.parse(line) as { session: { principal?: unknown } }).session.principal);
    await expect.poll(principals).toContainEqual({ subject: 'alice', clientId: oidc.app.clientId, scopes: [SCOPE], source: 'oauth', issuer: oidc.issuer });
    expect(principals()).toContainEqual({ subject: oidc.service.clientId, clientId: oidc.service.clientId, scopes: [SCOPE], source: 'oauth', issuer: oidc.issuer });
  });
});
