// What a credential check concludes: a principal, or why not, in the words of RFC 6750 (the
// `error` of a WWW-Authenticate challenge) plus 'unavailable' when the authorization server could
// not be asked. Shared by the validators in this folder; plain data.
import type { Principal } from '../../common/index.js';

export type Verdict =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly error: 'invalid_token' | 'unavailable'; readonly description: string };

export function refuse(description: string): Verdict {
  return { ok: false, error: 'invalid_token', description };
}

export function unavailable(description: string): Verdict {
  return { ok: false, error: 'unavailable', description };
}

/** A space-separated OAuth `scope` claim as a list (absent or not a string: none). */
export function splitScopes(scope: unknown): string[] {
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}
