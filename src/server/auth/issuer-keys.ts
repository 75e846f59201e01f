// The signing keys of each accepted issuer: its JWKS, from `cemcp.auth.jwksUri` or discovered in
// its metadata (RFC 8414 oauth-authorization-server, then OpenID openid-configuration; the
// document's `issuer` must equal it exactly). jose's remote key set caches the keys and fetches
// again on an unknown kid (key rotation). A failed discovery is retried on a later request.
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

const DISCOVERY_TIMEOUT_MS = 5_000;
/** After a failed discovery, requests in this window fail at once instead of asking again. */
const RETRY_AFTER_MS = 5_000;

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export class IssuerKeys {
  private readonly sets = new Map<string, Promise<JWTVerifyGetKey>>();
  private readonly failedAt = new Map<string, number>();

  constructor(private readonly options: {
    readonly jwksUri?: string;
    readonly fetch?: FetchFn;
    /** After a fetch, an unknown kid fetches again only this much later (jose's default 30 s bounds what junk kids cost the server). */
    readonly cooldownMs?: number;
  }) {}

  /** The key set of `issuer` (an accepted one: the caller checked). Throws when it cannot be found. */
  async forIssuer(issuer: string): Promise<JWTVerifyGetKey> {
    const failed = this.failedAt.get(issuer);
    if (failed !== undefined && Date.now() - failed < RETRY_AFTER_MS) throw new Error(`the metadata of ${issuer} could not be read a moment ago`);
    let set = this.sets.get(issuer);
    if (!set) {
      set = this.discover(issuer).then((jwksUri) => createRemoteJWKSet(new URL(jwksUri), {
        timeoutDuration: DISCOVERY_TIMEOUT_MS,
        ...(this.options.cooldownMs !== undefined ? { cooldownDuration: this.options.cooldownMs } : {}),
      }));
      this.sets.set(issuer, set);
      set.catch(() => {
        this.sets.delete(issuer);
        this.failedAt.set(issuer, Date.now());
      });
    }
    return set;
  }

  private async discover(issuer: string): Promise<string> {
    if (this.options.jwksUri) return this.options.jwksUri;
    const problems: string[] = [];
    for (const url of metadataUrls(issuer)) {
      try {
        const response = await (this.options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS), headers: { accept: 'application/json' }, redirect: 'error' });
        if (!response.ok) {
          problems.push(`${url}: HTTP ${response.status}`);
          continue;
        }
        const metadata = await response.json() as { issuer?: unknown; jwks_uri?: unknown };
        if (metadata.issuer !== issuer) {
          problems.push(`${url}: its issuer is ${JSON.stringify(metadata.issuer)}, not ${issuer}`);
          continue;
        }
        if (typeof metadata.jwks_uri !== 'string') {
          problems.push(`${url}: no jwks_uri`);
          continue;
        }
        return metadata.jwks_uri;
      } catch (error) {
        problems.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    throw new Error(`cannot find the signing keys of ${issuer} (${problems.join('; ')}); set cemcp.auth.jwksUri`);
  }
}

/** RFC 8414 §3.1 (well-known inserted before the issuer's path), then OpenID Discovery (appended). */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}
