// Tool policy from config: deny, confirm and allow lists of glob patterns over `server.tool` (or
// the call as code writes it, `namespace.name`; a pattern without a dot names a whole server),
// matched without regard to case, and what to do with tools annotated destructiveHint. Deny wins
// over confirm, confirm over allow; a non-empty allow list refuses everything it does not match.
// `fetch` and `fetch:<url glob>` patterns govern the sandbox's fetch. Globs: common/glob.ts, any
// case. Principal rules (`principals: [{ match, deny, confirm, allow, destructive }]`) are layers
// over the global lists for the principals they match: they only tighten (their deny and confirm
// add to the global ones, their allow list narrows further, their destructive is taken when
// stricter), and the rule text names the layer that decided. Pure; used by runtime/.
import { compilePrincipalMatch, globToRegExp, LOCAL_PRINCIPAL, type PrincipalMatch, type PrincipalMatcher } from '../common/index.js';

import type { CallTarget, Principal } from '../common/index.js';

export type PolicyAction = 'allow' | 'deny' | 'confirm';

export interface PolicyLists {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  readonly confirm: readonly string[];
}

/** A layer for the principals `match` names (cemcp.policy.principals[i]). */
export interface PrincipalPolicyRule extends Partial<PolicyLists> {
  readonly match: PrincipalMatch;
  /** For destructive tools no list names; taken when stricter than the global one. */
  readonly destructive?: PolicyAction | undefined;
}

export interface PolicySettings extends PolicyLists {
  /** For tools annotated destructiveHint that no list names. */
  readonly destructive: PolicyAction;
  readonly principals?: readonly PrincipalPolicyRule[] | undefined;
}

export interface PolicyDecision {
  readonly action: PolicyAction;
  /** The rule that decided, as a person would find it in the config: `deny "memory.delete_*"`. */
  readonly rule: string;
}

export interface Policy {
  /** Decides for the local principal (no authentication); a run decides with `forPrincipal(its principal)`. */
  decide(target: CallTarget): PolicyDecision;
  /**
   * For a guest `fetch` of `url` (checked before the egress allowlist, which still applies):
   * `fetch` names every fetch, `fetch:https://api.example.com/*` the URLs its glob matches. The
   * allow list governs fetch only when one of its patterns is a fetch pattern.
   */
  decideFetch(url: string): PolicyDecision;
  /** The policy as it applies to `principal`: the global lists with the principal rules matching it. */
  forPrincipal(principal: Principal): Policy;
}

const FETCH_RULE = /^fetch(?::(.*))?$/i;
const STRICTNESS: Record<PolicyAction, number> = { allow: 0, confirm: 1, deny: 2 };

interface Rule {
  readonly pattern: string;
  readonly regex: RegExp;
}

/** One set of lists, compiled: the global one, or a principal rule's. */
interface Layer {
  /** Appended to the rule text: '' for the global lists, ` (cemcp.policy.principals[0]: scope "x")` for a principal rule. */
  readonly label: string;
  readonly deny: readonly Rule[];
  readonly confirm: readonly Rule[];
  readonly allow: readonly Rule[];
  readonly fetchDeny: readonly Rule[];
  readonly fetchConfirm: readonly Rule[];
  readonly fetchAllow: readonly Rule[];
  readonly destructive?: PolicyAction | undefined;
}

export function createPolicy(settings: PolicySettings): Policy {
  const global = compileLayer(settings, '');
  const rules = (settings.principals ?? []).map((rule, i): { matcher: PrincipalMatcher; layer: Layer } => {
    const matcher = compilePrincipalMatch(rule.match);
    return { matcher, layer: compileLayer({ allow: rule.allow ?? [], deny: rule.deny ?? [], confirm: rule.confirm ?? [], destructive: rule.destructive }, ` (cemcp.policy.principals[${i}]: ${matcher.text})`) };
  });
  const forPrincipal = (principal: Principal): Policy => layered(settings.destructive, [global, ...rules.filter((r) => r.matcher.matches(principal)).map((r) => r.layer)], forPrincipal);
  return forPrincipal(LOCAL_PRINCIPAL);
}

function layered(destructive: PolicyAction, layers: readonly Layer[], forPrincipal: (principal: Principal) => Policy): Policy {
  const first = (pick: (layer: Layer) => readonly Rule[], test: (rule: Rule) => boolean) => {
    for (const layer of layers) {
      const rule = pick(layer).find(test);
      if (rule) return { rule, layer };
    }
    return undefined;
  };
  /** Every non-empty allow list must match; answers the refusal, or the last (most specific) allow that matched. */
  const allowed = (pick: (layer: Layer) => readonly Rule[], test: (rule: Rule) => boolean, none: string): PolicyDecision | undefined => {
    let decision: PolicyDecision | undefined;
    for (const layer of layers) {
      const list = pick(layer);
      if (list.length === 0) continue;
      const rule = list.find(test);
      if (!rule) return { action: 'deny', rule: `${none}${layer.label}` };
      decision = { action: 'allow', rule: `allow "${rule.pattern}"${layer.label}` };
    }
    return decision;
  };
  return {
    forPrincipal,
    decideFetch(url) {
      const test = ({ regex }: Rule) => regex.test(url);
      const denied = first((l) => l.fetchDeny, test);
      if (denied) return { action: 'deny', rule: `deny "${denied.rule.pattern}"${denied.layer.label}` };
      const confirmed = first((l) => l.fetchConfirm, test);
      if (confirmed) return { action: 'confirm', rule: `confirm "${confirmed.rule.pattern}"${confirmed.layer.label}` };
      return allowed((l) => l.fetchAllow, test, 'allow list (no fetch pattern matches)') ?? { action: 'allow', rule: 'default' };
    },
    decide(target) {
      const names = [`${target.server}.${target.tool}`, target.callName];
      const test = ({ regex }: Rule) => names.some((n) => regex.test(n));
      const denied = first((l) => l.deny, test);
      if (denied) return { action: 'deny', rule: `deny "${denied.rule.pattern}"${denied.layer.label}` };
      const confirmed = first((l) => l.confirm, test);
      if (confirmed) return { action: 'confirm', rule: `confirm "${confirmed.rule.pattern}"${confirmed.layer.label}` };
      // Naming a tool in the allow list(s) allows it, destructive or not.
      const allow = allowed((l) => l.allow, test, 'allow list (no pattern matches)');
      if (allow) return allow;
      if (target.destructive) {
        // The strictest of the global setting and the matching principal rules' own.
        let action = destructive;
        let label = '';
        for (const layer of layers) {
          if (layer.destructive !== undefined && STRICTNESS[layer.destructive] > STRICTNESS[action]) ({ destructive: action, label } = layer);
        }
        if (action !== 'allow') return { action, rule: `destructive: "${action}"${label}` };
      }
      return { action: 'allow', rule: 'default' };
    },
  };
}

function compileLayer(lists: PolicyLists & { destructive?: PolicyAction | undefined }, label: string): Layer {
  // `fetch` and `fetch:…` are fetch rules only (an upstream whose key is `fetch` is `fetch.*`).
  const tools = (patterns: readonly string[]) =>
    patterns.filter((pattern) => !FETCH_RULE.test(pattern.trim())).map((pattern) => ({ pattern, regex: toolGlob(pattern) }));
  const fetches = (patterns: readonly string[]) => patterns.flatMap((pattern) => {
    const rule = FETCH_RULE.exec(pattern.trim());
    if (!rule) return [];
    // A URL glob, any case (schemes and hosts have none): `*` runs across `/` too.
    return [{ pattern, regex: rule[1] === undefined || rule[1] === '' ? /^/ : globToRegExp(rule[1], { ignoreCase: true }) }];
  });
  return {
    label,
    deny: tools(lists.deny), confirm: tools(lists.confirm), allow: tools(lists.allow),
    fetchDeny: fetches(lists.deny), fetchConfirm: fetches(lists.confirm), fetchAllow: fetches(lists.allow),
    destructive: lists.destructive,
  };
}

/**
 * A `server.tool` glob (`*` any run, `?` one character); a pattern without a dot covers a whole
 * server. Any case: `delete_*` covers `Delete_Everything` (a tool's case is the upstream's choice).
 */
function toolGlob(pattern: string): RegExp {
  return globToRegExp(pattern.includes('.') ? pattern : `${pattern}.*`, { ignoreCase: true });
}
