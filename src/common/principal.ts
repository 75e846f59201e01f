// Who a request acts for: the subject of a validated access token or an API key's name, with the
// OAuth client and the scopes granted. Sessions are bound to it, audit records and spans carry it,
// policy rules and per-principal caps match it. Plain data; imported through common/index.ts.

export type PrincipalSource =
  /** A JWT access token validated against the authorization server's keys (or introspected). */
  | 'oauth'
  /** A static API key from the config (stored as a hash). */
  | 'api-key'
  /** No authentication: stdio, `cemcp exec`, or HTTP on loopback / with --insecure-no-auth. */
  | 'local';

export interface Principal {
  /** The token's `sub`, or the API key's name; "local" when nothing was authenticated. */
  readonly subject: string;
  /** The OAuth client the token was issued to (`client_id` / `azp`), when it names one. */
  readonly clientId?: string;
  /** Scopes granted (OAuth `scope`, or the API key's configured scopes). */
  readonly scopes: readonly string[];
  readonly source: PrincipalSource;
  /** The token's issuer (OAuth only): the same subject from two issuers is two principals. */
  readonly issuer?: string;
}

/** The principal of every unauthenticated request. */
export const LOCAL_PRINCIPAL: Principal = Object.freeze({ subject: 'local', scopes: Object.freeze([]) as readonly string[], source: 'local' });

/** One string per principal, stable across processes: what a session is bound to and caps count by. */
export function principalKey(principal: Principal): string {
  return JSON.stringify([principal.source, principal.issuer ?? '', principal.subject]);
}

export function samePrincipal(a: Principal, b: Principal): boolean {
  return principalKey(a) === principalKey(b);
}
