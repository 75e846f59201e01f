// The `cemcp.auth` section: how `serve --http` authenticates requests (an OAuth 2.1 resource
// server per the MCP authorization spec, and/or static API keys). Secrets stay `${VAR}`
// references here; server/auth/ expands and hashes them. Imported by schema.ts only.
import { z } from 'zod';
import { strictObject } from './suggest.js';

/** Asymmetric JWS algorithms only: `none` and HS* (a shared secret, forgeable with a public key) are never accepted. */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
export const DEFAULT_JWT_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'] as const;

const VARIABLE_ONLY = /^\$\{(?:env:)?[A-Za-z_][A-Za-z0-9_]*\}$/;
const SCOPE = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'expected a scope token (printable ASCII, no space, quote or backslash)');
const HttpsOrLoopbackUrl = z.url({ message: 'expected an http(s) URL' }).refine((u) => {
  const url = new URL(u);
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}, 'expected an https URL (http only for 127.0.0.1, localhost or [::1])');

const ApiKeySchema = strictObject({
  /** The principal's subject: audit records and policy rules name it. */
  name: z.string().min(1).max(200),
  /** "sha256:<64 hex>" of the key (`printf %s "$KEY" | sha256sum`). */
  hash: z.string().regex(/^sha256:[0-9a-fA-F]{64}$/, 'expected "sha256:" and 64 hex digits (printf %s "$KEY" | sha256sum)').optional(),
  /** "${VAR}": the environment variable holding the key itself; hashed at start, never kept. */
  key: z.string().regex(VARIABLE_ONLY, 'expected only a ${VARIABLE} reference (never the key itself); or give "hash" instead').optional(),
  scopes: z.array(SCOPE).default([]),
}).refine((k) => (k.hash === undefined) !== (k.key === undefined), 'expected exactly one of "hash" (sha256:<hex>) or "key" (${VARIABLE})');

const IntrospectionSchema = strictObject({
  /** The authorization server's RFC 7662 introspection endpoint. */
  endpoint: HttpsOrLoopbackUrl,
  /** The gateway's own client credentials at the authorization server (client_secret_basic); `${VAR}` expands from the environment. */
  clientId: z.string().min(1),
  clientSecret: z.string().regex(VARIABLE_ONLY, 'expected a ${VARIABLE} reference holding the secret, never the secret itself'),
  /** An answer is reused this long for the same token (never past its exp); 0: every request asks. */
  cacheMs: z.number().int().min(0).max(300_000).default(30_000),
});

export const AuthSchema = strictObject({
  /** The canonical URL of this gateway's /mcp endpoint as clients reach it (e.g. https://mcp.example.com/mcp): the audience tokens must name (RFC 8707). */
  resource: z.url({ message: 'expected the public URL of /mcp, e.g. https://mcp.example.com/mcp' })
    .refine((u) => !new URL(u).hash, 'expected no #fragment (RFC 8707)').optional(),
  /** Issuer URLs of the authorization servers whose tokens are accepted (exact `iss` match). */
  authorizationServers: z.array(HttpsOrLoopbackUrl).default([]),
  /** Scopes every request needs (403 insufficient_scope without them). */
  requiredScopes: z.array(SCOPE).default([]),
  /** Advertised in the protected resource metadata; default: requiredScopes. */
  scopesSupported: z.array(SCOPE).optional(),
  algorithms: z.array(z.enum(JWT_ALGORITHMS, { message: `expected one of ${JWT_ALGORITHMS.join(', ')} (none and HS* are never accepted)` }))
    .min(1).default([...DEFAULT_JWT_ALGORITHMS]),
  /** Leeway for exp and nbf. */
  clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
  /** The issuer's JWKS; default: discovered from its metadata (oauth-authorization-server, then openid-configuration). One authorization server only. */
  jwksUri: HttpsOrLoopbackUrl.optional(),
  /** RFC 7662 introspection for tokens that are not JWTs. */
  introspection: IntrospectionSchema.optional(),
  apiKeys: z.array(ApiKeySchema).default([]),
}).superRefine((auth, ctx) => {
  const oauth = auth.authorizationServers.length > 0 || auth.introspection !== undefined;
  if (oauth && auth.resource === undefined) {
    ctx.addIssue({ code: 'custom', path: ['resource'], message: 'required with authorizationServers or introspection: the public URL of /mcp, e.g. https://mcp.example.com/mcp' });
  }
  if (auth.jwksUri !== undefined && auth.authorizationServers.length !== 1) {
    ctx.addIssue({ code: 'custom', path: ['jwksUri'], message: 'needs exactly one entry in authorizationServers (the issuer these keys sign for)' });
  }
  if (!oauth && auth.apiKeys.length === 0) {
    ctx.addIssue({ code: 'custom', path: [], message: 'authenticates nothing: give authorizationServers (OAuth) and/or apiKeys, or remove cemcp.auth' });
  }
  const names = new Set<string>();
  auth.apiKeys.forEach((key, i) => {
    if (names.has(key.name)) ctx.addIssue({ code: 'custom', path: ['apiKeys', i, 'name'], message: `"${key.name}" is used twice: each key is its own principal` });
    names.add(key.name);
  });
});

export type AuthConfig = z.infer<typeof AuthSchema>;
export type ApiKeyConfig = AuthConfig['apiKeys'][number];
export type IntrospectionConfig = NonNullable<AuthConfig['introspection']>;
