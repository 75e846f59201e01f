// Tool policy from config: deny, confirm and allow lists of glob patterns over `server.tool` (or
// the call as code writes it, `namespace.name`; a pattern without a dot names a whole server),
// matched without regard to case, and what to do with tools annotated destructiveHint. Deny wins
// over confirm, confirm over allow; a non-empty allow list refuses everything it does not match.
// `fetch` and `fetch:<url glob>` patterns govern the sandbox's fetch. Globs: common/glob.ts, any
// case. Pure; used by runtime/.
import { globToRegExp } from '../common/index.js';

import type { CallTarget } from '../common/index.js';

export type PolicyAction = 'allow' | 'deny' | 'confirm';

export interface PolicySettings {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  readonly confirm: readonly string[];
  /** For tools annotated destructiveHint that no list names. */
  readonly destructive: PolicyAction;
}

export interface PolicyDecision {
  readonly action: PolicyAction;
  /** The rule that decided, as a person would find it in the config: `deny "memory.delete_*"`. */
  readonly rule: string;
}

export interface Policy {
  decide(target: CallTarget): PolicyDecision;
  /**
   * For a guest `fetch` of `url` (checked before the egress allowlist, which still applies):
   * `fetch` names every fetch, `fetch:https://api.example.com/*` the URLs its glob matches. The
   * allow list governs fetch only when one of its patterns is a fetch pattern.
   */
  decideFetch(url: string): PolicyDecision;
}

const FETCH_RULE = /^fetch(?::(.*))?$/i;

export function createPolicy(settings: PolicySettings): Policy {
  // `fetch` and `fetch:…` are fetch rules only (an upstream whose key is `fetch` is `fetch.*`).
  const compile = (patterns: readonly string[]) =>
    patterns.filter((pattern) => !FETCH_RULE.test(pattern.trim())).map((pattern) => ({ pattern, regex: toolGlob(pattern) }));
  const deny = compile(settings.deny);
  const confirm = compile(settings.confirm);
  const allow = compile(settings.allow);
  const fetchRules = (patterns: readonly string[]) => patterns.flatMap((pattern) => {
    const rule = FETCH_RULE.exec(pattern.trim());
    if (!rule) return [];
    // A URL glob, any case (schemes and hosts have none): `*` runs across `/` too.
    return [{ pattern, regex: rule[1] === undefined || rule[1] === '' ? /^/ : globToRegExp(rule[1], { ignoreCase: true }) }];
  });
  const fetchDeny = fetchRules(settings.deny);
  const fetchConfirm = fetchRules(settings.confirm);
  const fetchAllow = fetchRules(settings.allow);
  return {
    decideFetch(url) {
      const match = (list: typeof fetchDeny) => list.find(({ regex }) => regex.test(url));
      const denied = match(fetchDeny);
      if (denied) return { action: 'deny', rule: `deny "${denied.pattern}"` };
      const confirmed = match(fetchConfirm);
      if (confirmed) return { action: 'confirm', rule: `confirm "${confirmed.pattern}"` };
      if (fetchAllow.length > 0) {
        const allowed = match(fetchAllow);
        return allowed ? { action: 'allow', rule: `allow "${allowed.pattern}"` } : { action: 'deny', rule: 'allow list (no fetch pattern matches)' };
      }
      return { action: 'allow', rule: 'default' };
    },
    decide(target) {
      const names = [`${target.server}.${target.tool}`, target.callName];
      const match = (list: typeof deny) => list.find(({ regex }) => names.some((n) => regex.test(n)));
      const denied = match(deny);
      if (denied) return { action: 'deny', rule: `deny "${denied.pattern}"` };
      const confirmed = match(confirm);
      if (confirmed) return { action: 'confirm', rule: `confirm "${confirmed.pattern}"` };
      if (allow.length > 0) {
        const allowed = match(allow);
        if (!allowed) return { action: 'deny', rule: 'allow list (no pattern matches)' };
        // Naming a tool in the allow list allows it, destructive or not.
        return { action: 'allow', rule: `allow "${allowed.pattern}"` };
      }
      if (target.destructive && settings.destructive !== 'allow') return { action: settings.destructive, rule: `destructive: "${settings.destructive}"` };
      return { action: 'allow', rule: 'default' };
    },
  };
}

/**
 * A `server.tool` glob (`*` any run, `?` one character); a pattern without a dot covers a whole
 * server. Any case: `delete_*` covers `Delete_Everything` (a tool's case is the upstream's choice).
 */
function toolGlob(pattern: string): RegExp {
  return globToRegExp(pattern.includes('.') ? pattern : `${pattern}.*`, { ignoreCase: true });
}
