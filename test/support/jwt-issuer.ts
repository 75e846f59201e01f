// A small token issuer for tests of the resource-server side: real keys (jose), its metadata and
// JWKS served over loopback HTTP, JWTs signed with any claims or header, an RFC 7662
// introspection endpoint with answers the test sets, and key rotation. The e2e tests use a full
// authorization server (oidc-provider); this one makes the tokens no real server would issue.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface TestIssuer {
  readonly issuer: string;
  /** Metadata requests served, by path (discovery is cached: tests count them). */
  readonly hits: Map<string, number>;
  /** A JWT signed with the current key; `header` overrides (kid, typ), `key` another private key. */
  sign(claims: JWTPayload, options?: { readonly alg?: string; readonly kid?: string; readonly key?: CryptoKey | Uint8Array }): Promise<string>;
  /** A fresh key pair replaces the served one (same alg); tokens signed after it carry its kid. */
  rotate(): Promise<void>;
  /** The current public key as a JWK (what an attacker has). */
  publicJwk(): JWK;
  /** What the introspection endpoint answers for `token`. */
  setIntrospection(token: string, answer: Record<string, unknown>): void;
  /** Basic credentials the introspection endpoint received last. */
  lastIntrospectionAuth(): string | undefined;
  /** Serve only the OpenID metadata (the RFC 8414 path answers 404), or a wrong `issuer` in it. */
  metadata: { oauthPath: boolean; issuerOverride?: string };
  close(): Promise<void>;
}

export async function startTestIssuer(alg = 'ES256'): Promise<TestIssuer> {
  let kid = 'key-1';
  let pair = await generateKeyPair(alg, { extractable: true });
  let jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' };
  const hits = new Map<string, number>();
  const introspection = new Map<string, Record<string, unknown>>();
  let lastAuth: string | undefined;
  const metadata: TestIssuer['metadata'] = { oauthPath: true };
  let issuer = '';

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/jwks') return json(200, { keys: [jwk] });
    if (path === '/.well-known/openid-configuration' || (path === '/.well-known/oauth-authorization-server' && metadata.oauthPath)) {
      return json(200, { issuer: metadata.issuerOverride ?? issuer, jwks_uri: `${issuer}/jwks`, introspection_endpoint: `${issuer}/introspect` });
    }
    if (path === '/introspect' && req.method === 'POST') {
      lastAuth = req.headers.authorization;
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => json(200, introspection.get(new URLSearchParams(body).get('token') ?? '') ?? { active: false }));
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    hits,
    metadata,
    async sign(claims, options = {}) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: options.alg ?? alg, kid: options.kid ?? kid, typ: 'at+jwt' })
        .sign(options.key ?? pair.privateKey);
    },
    async rotate() {
      kid = `key-${Number(kid.slice(4)) + 1}`;
      pair = await generateKeyPair(alg, { extractable: true });
      jwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' };
    },
    publicJwk: () => jwk,
    setIntrospection: (token, answer) => void introspection.set(token, answer),
    lastIntrospectionAuth: () => lastAuth,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
