// Who an HTTP request to /mcp acts for: the bearer value of its Authorization header is an API
// key (matched by hash), a JWT access token (validated against the issuer's keys) or an opaque
// token (introspected), in that order; then every required scope must be granted. Refusals
// carry the WWW-Authenticate challenge that points the client to the resource metadata.
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../../common/index.js';
import { expandVariables, type AuthConfig, type Environment } from '../../config/index.js';
import type { AuthOutcome, HttpRoute } from '../http.js';
import { ApiKeyTable, hashApiKey } from './api-keys.js';
import { Introspector } from './introspection.js';
import { IssuerKeys, type FetchFn } from './issuer-keys.js';
import { looksLikeJwt, validateJwt, type JwtValidatorOptions } from './jwt-validator.js';
import { bearerChallenge, resourceMetadataRoutes, resourceMetadataUrl } from './protected-resource.js';
import type { Verdict } from './verdict.js';
import { VerifiedTokens } from './verified-tokens.js';

/** A validated JWT is trusted again without verifying for this long (never past its exp). */
const VERIFIED_TTL_MS = 60_000;

export interface Authenticator {
  readonly authenticate: (req: IncomingMessage) => Promise<AuthOutcome>;
  /** The protected resource metadata routes (none with API keys only). */
  readonly routes: ReadonlyMap<string, HttpRoute>;
}

export interface AuthenticatorOptions {
  /** Where `${VAR}` references (API keys, introspection credentials) expand from. */
  readonly env: Environment;
  /** The config file, named in errors. */
  readonly file: string;
  readonly logger?: Logger;
  /** For discovery, JWKS and introspection (tests); default: global fetch. */
  readonly fetch?: FetchFn;
  /** Tests: how soon an unknown kid may fetch the key set again (default jose's 30 s). */
  readonly jwksCooldownMs?: number;
}

/** RFC 6750 b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function createAuthenticator(config: AuthConfig, options: AuthenticatorOptions): Authenticator {
  const where = `${options.file}: cemcp.auth`;
  const apiKeys = new ApiKeyTable(config.apiKeys.map((key, i) => ({
    name: key.name,
    scopes: key.scopes,
    // A key given by ${VAR} is hashed here; the clear value goes out of scope at once.
    sha256Hex: (key.hash ?? hashApiKey(expandVariables(key.key ?? '', `${where}.apiKeys.${i}.key`, options.env))).slice('sha256:'.length),
  })));
  const resource = config.resource;
  const jwt: JwtValidatorOptions | undefined = resource && config.authorizationServers.length ? {
    resource,
    issuers: config.authorizationServers,
    algorithms: config.algorithms,
    clockToleranceSeconds: config.clockToleranceSeconds,
    keys: new IssuerKeys({
      ...(config.jwksUri ? { jwksUri: config.jwksUri } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.jwksCooldownMs !== undefined ? { cooldownMs: options.jwksCooldownMs } : {}),
    }),
    verified: new VerifiedTokens(VERIFIED_TTL_MS),
  } : undefined;
  const introspection = resource && config.introspection ? new Introspector({
    endpoint: config.introspection.endpoint,
    clientId: expandVariables(config.introspection.clientId, `${where}.introspection.clientId`, options.env),
    clientSecret: expandVariables(config.introspection.clientSecret, `${where}.introspection.clientSecret`, options.env),
    resource,
    issuers: config.authorizationServers,
    cacheMs: config.introspection.cacheMs,
    clockToleranceSeconds: config.clockToleranceSeconds,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  }) : undefined;
  const metadataUrl = resource && (jwt || introspection) ? resourceMetadataUrl(resource) : undefined;
  const routes = resource && metadataUrl ? resourceMetadataRoutes({
    resource,
    authorizationServers: config.authorizationServers,
    scopesSupported: config.scopesSupported ?? config.requiredScopes,
  }) : new Map<string, HttpRoute>();

  async function check(token: string): Promise<Verdict> {
    const principal = apiKeys.match(token);
    if (principal) return { ok: true, principal };
    if (jwt && looksLikeJwt(token)) return validateJwt(token, jwt);
    if (introspection) return introspection.validate(token);
    return { ok: false, error: 'invalid_token', description: apiKeys.size && !jwt ? 'unknown API key' : 'invalid token' };
  }

  async function authenticate(req: IncomingMessage): Promise<AuthOutcome> {
    const header = req.headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) {
      const message = header === undefined ? 'unauthorized: send Authorization: Bearer <access token or API key>' : 'unauthorized: the Authorization header is not "Bearer <token>"';
      return { ok: false, status: 401, headers: { 'www-authenticate': bearerChallenge(header === undefined ? {} : { error: 'invalid_token', description: 'expected a Bearer token' }, metadataUrl) }, message };
    }
    const verdict = await check(token);
    if (!verdict.ok) {
      options.logger?.log('debug', `auth: refused a request: ${verdict.description}`);
      if (verdict.error === 'unavailable') {
        return { ok: false, status: 503, headers: { 'retry-after': '5' }, message: 'service unavailable: the authorization server could not be reached to check the token; try again' };
      }
      return { ok: false, status: 401, headers: { 'www-authenticate': bearerChallenge({ error: 'invalid_token', description: verdict.description }, metadataUrl) }, message: `unauthorized: ${verdict.description}` };
    }
    const missing = config.requiredScopes.filter((scope) => !verdict.principal.scopes.includes(scope));
    if (missing.length) {
      const description = `missing scope ${missing.join(' ')}`;
      return { ok: false, status: 403, headers: { 'www-authenticate': bearerChallenge({ error: 'insufficient_scope', description, scope: config.requiredScopes }, metadataUrl) }, message: `forbidden: ${description}` };
    }
    return { ok: true, principal: verdict.principal };
  }

  return { authenticate, routes };
}
