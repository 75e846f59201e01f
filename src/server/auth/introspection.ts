// RFC 7662 token introspection for opaque (non-JWT) access tokens: the gateway asks the
// authorization server with its own client credentials. Only `active: true` with this resource
// in `aud` (RFC 8707), an accepted `iss` (when it names one) and an unexpired `exp` is a
// principal. Answers are cached briefly by the token's SHA-256, never past its exp.
import { createHash } from 'node:crypto';
import type { FetchFn } from './issuer-keys.js';
import { refuse, splitScopes, unavailable, type Verdict } from './verdict.js';

export interface IntrospectionOptions {
  readonly endpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly resource: string;
  /** Accepted issuers; empty: the answer's `iss` is not checked (the endpoint speaks for its server). */
  readonly issuers: readonly string[];
  readonly cacheMs: number;
  readonly clockToleranceSeconds: number;
  readonly fetch?: FetchFn;
}

const TIMEOUT_MS = 5_000;
const MAX_CACHED = 10_000;

export class Introspector {
  private readonly cache = new Map<string, { readonly verdict: Verdict; readonly until: number }>();

  constructor(private readonly options: IntrospectionOptions) {}

  async validate(token: string): Promise<Verdict> {
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.verdict;
    this.cache.delete(key);
    let answer: Record<string, unknown>;
    try {
      answer = await this.ask(token);
    } catch (error) {
      return unavailable(`token introspection failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const verdict = judge(answer, this.options);
    const exp = typeof answer.exp === 'number' ? answer.exp * 1000 : Infinity;
    const until = Math.min(Date.now() + this.options.cacheMs, exp);
    if (this.options.cacheMs > 0 && until > Date.now()) {
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, { verdict, until });
    }
    return verdict;
  }

  private async ask(token: string): Promise<Record<string, unknown>> {
    const { endpoint, clientId, clientSecret } = this.options;
    const credentials = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const response = await (this.options.fetch ?? fetch)(endpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${credentials}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
    if (!response.ok) throw new Error(`${endpoint} answered HTTP ${response.status}`);
    const body: unknown = await response.json();
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error(`${endpoint} answered something other than a JSON object`);
    return body as Record<string, unknown>;
  }
}

function judge(answer: Record<string, unknown>, options: IntrospectionOptions): Verdict {
  if (answer.active !== true) return refuse('token not active');
  const audience = typeof answer.aud === 'string' ? [answer.aud] : Array.isArray(answer.aud) ? answer.aud : [];
  if (!audience.includes(options.resource)) return refuse('token audience is not this resource');
  const issuer = typeof answer.iss === 'string' ? answer.iss : undefined;
  if (issuer !== undefined && options.issuers.length && !options.issuers.includes(issuer)) return refuse('token issuer not accepted');
  if (typeof answer.exp === 'number' && answer.exp * 1000 + options.clockToleranceSeconds * 1000 < Date.now()) return refuse('token expired');
  const clientId = typeof answer.client_id === 'string' ? answer.client_id : undefined;
  const subject = typeof answer.sub === 'string' && answer.sub ? answer.sub : clientId;
  if (!subject) return refuse('token names no subject (sub) or client (client_id)');
  const principalIssuer = issuer ?? options.issuers[0] ?? new URL(options.endpoint).origin;
  return {
    ok: true,
    principal: Object.freeze({ subject, ...(clientId ? { clientId } : {}), scopes: Object.freeze(splitScopes(answer.scope)), source: 'oauth' as const, issuer: principalIssuer }),
  };
}
