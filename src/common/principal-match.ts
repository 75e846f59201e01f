// Which principals a config rule names: `{ subject?, clientId?, scope?, source?, issuer? }`, every
// field given must match (subject, clientId, issuer and scope are globs, case-sensitive: they are
// the issuer's identifiers; a scope glob matches when any granted scope matches). Used by the tool
// policy (audit/policy.ts) and the per-principal caps (server/principal-caps.ts). Pure.
import { globToRegExp } from './glob.js';
import type { Principal, PrincipalSource } from './principal.js';

export interface PrincipalMatch {
  readonly subject?: string | undefined;
  readonly clientId?: string | undefined;
  readonly scope?: string | undefined;
  readonly source?: PrincipalSource | undefined;
  readonly issuer?: string | undefined;
}

export interface PrincipalMatcher {
  matches(principal: Principal): boolean;
  /** The match as the config writes it, for rule texts: `scope "team-a:*", source "oauth"`. */
  readonly text: string;
}

const FIELDS = ['subject', 'clientId', 'scope', 'source', 'issuer'] as const;

export function compilePrincipalMatch(match: PrincipalMatch): PrincipalMatcher {
  const glob = (pattern: string | undefined) => (pattern === undefined ? undefined : globToRegExp(pattern));
  const subject = glob(match.subject);
  const clientId = glob(match.clientId);
  const scope = glob(match.scope);
  const issuer = glob(match.issuer);
  const text = FIELDS.filter((field) => match[field] !== undefined).map((field) => `${field} ${JSON.stringify(match[field])}`).join(', ');
  return {
    text,
    matches(principal) {
      if (subject && !subject.test(principal.subject)) return false;
      if (clientId && (principal.clientId === undefined || !clientId.test(principal.clientId))) return false;
      if (issuer && (principal.issuer === undefined || !issuer.test(principal.issuer))) return false;
      if (match.source !== undefined && principal.source !== match.source) return false;
      if (scope && !principal.scopes.some((s) => scope.test(s))) return false;
      return true;
    },
  };
}
