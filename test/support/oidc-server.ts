// A real OAuth 2.1 / OpenID authorization server for the e2e and security tests: oidc-provider
// (the certified npm package) on a loopback port, issuing JWT access tokens for resource
// indicators (RFC 8707) it knows, to a confidential client (client_credentials) and a public
// client (authorization code + PKCE, consent given through its dev interactions by `consent`).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';

export interface OidcServer {
  readonly issuer: string;
  /** Confidential client for client_credentials (client_secret_basic). */
  readonly service: { readonly clientId: string; readonly clientSecret: string };
  /** Public client for authorization code + PKCE, and the redirect URI registered for it. */
  readonly app: { readonly clientId: string; readonly redirectUri: string };
  /**
   * Plays the user at the authorization URL: signs in as `account` and consents through the
   * provider's interactions, following redirects with a cookie jar; returns the authorization code.
   */
  consent(authorizationUrl: URL, account: string): Promise<string>;
  /** A client_credentials token for a confidential client (`service` or one of `extraClients`), straight from the token endpoint. */
  clientCredentialsToken(clientId: string, request: { readonly resource?: string; readonly scope?: string }): Promise<string>;
  close(): Promise<void>;
}

export interface OidcServerOptions {
  /** Resource indicators tokens may be issued for, each with the scopes it offers. */
  readonly resources: Readonly<Record<string, string>>;
  readonly accessTokenTtlSeconds?: number;
  /** More confidential clients (client_credentials; secret `<id>-secret`), each with its own access token lifetime. */
  readonly extraClients?: Readonly<Record<string, { readonly ttlSeconds?: number }>>;
}

export async function startOidcServer(options: OidcServerOptions): Promise<OidcServer> {
  const { default: Provider, errors } = await import('oidc-provider');
  const signing = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(signing.privateKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' };
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const service = { clientId: 'service-client', clientSecret: 'service-secret-0123456789abcdef' };
  const app = { clientId: 'mcp-app', redirectUri: 'http://127.0.0.1/callback' };

  const provider = new Provider(issuer, {
    clients: [
      { client_id: service.clientId, client_secret: service.clientSecret, grant_types: ['client_credentials'], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic' },
      ...Object.keys(options.extraClients ?? {}).map((id) => ({
        client_id: id, client_secret: `${id}-secret`, grant_types: ['client_credentials'], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic',
      })),
      { client_id: app.clientId, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: [app.redirectUri], token_endpoint_auth_method: 'none' },
    ],
    jwks: { keys: [jwk] },
    findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id }) }),
    scopes: ['openid', 'offline_access'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string | string[]) => oneOf,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string, client: { clientId: string }) => {
          const scope = options.resources[indicator];
          if (scope === undefined) throw new errors.InvalidTarget();
          const ttl = options.extraClients?.[client.clientId]?.ttlSeconds ?? options.accessTokenTtlSeconds ?? 600;
          return { scope, audience: indicator, accessTokenFormat: 'jwt', accessTokenTTL: ttl, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
  });
  server.on('request', provider.callback());

  return {
    issuer,
    service,
    app,
    consent: (url, account) => playUser(url, account, app.redirectUri),
    async clientCredentialsToken(clientId, request) {
      const secret = clientId === service.clientId ? service.clientSecret : `${clientId}-secret`;
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', ...(request.scope ? { scope: request.scope } : {}), ...(request.resource ? { resource: request.resource } : {}) }).toString(),
      });
      const body = await response.json() as { access_token?: string; error?: string; error_description?: string };
      if (!body.access_token) throw new Error(`token endpoint refused ${clientId}: ${body.error ?? response.status} ${body.error_description ?? ''}`);
      return body.access_token;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Follows the authorization flow's redirects with cookies, submitting login then consent, until the redirect URI. */
async function playUser(start: URL, account: string, redirectUri: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = start.href;
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(body ? { body: body.toString() } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) {
        const code = next.searchParams.get('code');
        if (!code) throw new Error(`authorization failed: ${next.search}`);
        return code;
      }
      url = next.href;
      body = undefined;
      continue;
    }
    const page = await response.text();
    if (response.status !== 200 || !/\/interaction\//.test(url)) throw new Error(`unexpected answer ${response.status} at ${url}: ${page.slice(0, 300)}`);
    // The dev interactions page: a login form first, then a consent form.
    body = /name="login"/.test(page) ? new URLSearchParams({ prompt: 'login', login: account, password: 'any' }) : new URLSearchParams({ prompt: 'consent' });
  }
  throw new Error('authorization did not reach the redirect URI in 12 steps');
}
