// Tool policy from config: deny, confirm and allow lists of glob patterns over `server.tool` (or
// the call as code writes it, `namespace.name`; a pattern without a dot names a whole server),
// and what to do with tools annotated destructiveHint. Deny wins over confirm, confirm over allow;
// a non-empty allow list refuses everything it does not match. Pure; used by runtime/.

export type PolicyAction = 'allow' | 'deny' | 'confirm';

export interface PolicySettings {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  readonly confirm: readonly string[];
  /** For tools annotated destructiveHint that no list names. */
  readonly destructive: PolicyAction;
}

export interface PolicyTarget {
  readonly server: string;
  readonly tool: string;
  /** `namespace.name`, as a program writes the call. */
  readonly callName: string;
  readonly destructive: boolean;
}

export interface PolicyDecision {
  readonly action: PolicyAction;
  /** The rule that decided, as a person would find it in the config: `deny "memory.delete_*"`. */
  readonly rule: string;
}

export interface Policy {
  decide(target: PolicyTarget): PolicyDecision;
}

export function createPolicy(settings: PolicySettings): Policy {
  const compile = (patterns: readonly string[]) => patterns.map((pattern) => ({ pattern, regex: globToRegExp(pattern) }));
  const deny = compile(settings.deny);
  const confirm = compile(settings.confirm);
  const allow = compile(settings.allow);
  return {
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

/** `*` is any run of characters, `?` one character; a pattern without a dot covers a whole server. */
export function globToRegExp(pattern: string): RegExp {
  const full = pattern.includes('.') ? pattern : `${pattern}.*`;
  const source = full.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}
