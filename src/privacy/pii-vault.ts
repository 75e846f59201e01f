// The PII token map of one MCP session: each distinct value gets a stable token ([EMAIL_1]) while
// it is remembered; least recently used values are forgotten beyond `maxEntries` (token numbers
// are never reused). Lives in the host, synchronous; its state exports as JSON and merges back
// (how a session store keeps it between runs). `clear()` drops it. Used by pii-session.ts.

export interface PiiVaultOptions {
  /** Distinct values remembered; the least recently used are forgotten beyond it. */
  readonly maxEntries: number;
}

/** A vault's state as JSON: what a session store keeps between runs. */
export type PiiVaultState = {
  readonly v: 1;
  /** The highest number issued per label (never issued again). */
  readonly counters: Readonly<Record<string, number>>;
  /** [token, value] pairs, least recently used first. */
  readonly entries: readonly (readonly [string, string])[];
  /** Tokens two writers issued for different values: neither value is restored from them. */
  readonly revoked: readonly string[];
};

export interface PiiVault {
  /** The token of `value`, issuing `[LABEL_n]` when it has none. */
  tokenFor(label: string, value: string): string;
  /** The value behind a token issued by this vault, if still remembered. */
  valueOf(token: string): string | undefined;
  readonly size: number;
  /** Bumped by every change a store should see (a token issued, merged or revoked). */
  readonly version: number;
  exportState(): PiiVaultState;
  /**
   * Adds what `state` holds and this vault does not: counters rise to the larger, a token known
   * here for another value is revoked on both sides (fail closed), a second token of a value known
   * here restores too. Malformed input is ignored.
   */
  mergeState(state: unknown): void;
  clear(): void;
}

const TOKEN_SHAPE = /^\[([A-Z][A-Z0-9_]*)_(\d+)\]$/;

export function createPiiVault(options: PiiVaultOptions): PiiVault {
  // Insertion order of `byValue` is recency order: a hit is moved to the end.
  const byValue = new Map<string, string>();
  const byToken = new Map<string, string>();
  /** Further tokens of a value (issued elsewhere and merged in); they restore like the first. */
  const aliases = new Map<string, string[]>();
  const counters = new Map<string, number>();
  const revoked = new Set<string>();
  let version = 0;

  const touch = (value: string, token: string): void => {
    byValue.delete(value);
    byValue.set(value, token);
  };
  const forget = (value: string): void => {
    const token = byValue.get(value);
    byValue.delete(value);
    if (token !== undefined) byToken.delete(token);
    for (const alias of aliases.get(value) ?? []) byToken.delete(alias);
    aliases.delete(value);
  };
  const evict = (): void => {
    while (byValue.size > options.maxEntries) {
      const oldest = byValue.keys().next();
      if (oldest.done) break;
      forget(oldest.value);
    }
  };
  const revoke = (token: string): void => {
    revoked.add(token);
    while (revoked.size > options.maxEntries) revoked.delete(revoked.values().next().value as string);
    const value = byToken.get(token);
    if (value === undefined) return;
    byToken.delete(token);
    const others = (aliases.get(value) ?? []).filter((t) => t !== token);
    if (byValue.get(value) === token) {
      const next = others.shift();
      if (next === undefined) byValue.delete(value);
      else byValue.set(value, next);
    }
    if (others.length) aliases.set(value, others);
    else aliases.delete(value);
  };

  return {
    tokenFor(label, value) {
      const known = byValue.get(value);
      if (known !== undefined) {
        touch(value, known);
        return known;
      }
      const n = (counters.get(label) ?? 0) + 1;
      counters.set(label, n);
      const token = `[${label}_${n}]`;
      byValue.set(value, token);
      byToken.set(token, value);
      version++;
      evict();
      return token;
    },
    valueOf(token) {
      const value = byToken.get(token);
      if (value !== undefined) touch(value, byValue.get(value) ?? token);
      return value;
    },
    get size() {
      return byValue.size;
    },
    get version() {
      return version;
    },
    exportState() {
      const entries: [string, string][] = [];
      for (const [value, token] of byValue) {
        entries.push([token, value]);
        for (const alias of aliases.get(value) ?? []) entries.push([alias, value]);
      }
      return { v: 1, counters: Object.fromEntries(counters), entries, revoked: [...revoked] };
    },
    mergeState(state) {
      if (!isVaultState(state)) return;
      let changed = false;
      for (const [label, n] of Object.entries(state.counters)) {
        if (!Number.isSafeInteger(n) || n <= (counters.get(label) ?? 0)) continue;
        counters.set(label, n);
        changed = true;
      }
      for (const token of state.revoked) {
        if (typeof token !== 'string' || revoked.has(token)) continue;
        revoke(token);
        changed = true;
      }
      for (const entry of state.entries) {
        if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') continue;
        const [token, value] = entry;
        const match = TOKEN_SHAPE.exec(token);
        if (!match || revoked.has(token)) continue;
        const known = byToken.get(token);
        if (known === value) continue;
        if (known !== undefined) {
          revoke(token); // one token, two values: restoring either could send the wrong one
          changed = true;
          continue;
        }
        const n = Number(match[2]);
        if (n > (counters.get(match[1]!) ?? 0)) counters.set(match[1]!, n);
        byToken.set(token, value);
        const canonical = byValue.get(value);
        if (canonical === undefined) byValue.set(value, token);
        else aliases.set(value, [...(aliases.get(value) ?? []), token]);
        changed = true;
      }
      evict();
      if (changed) version++;
    },
    clear() {
      byValue.clear();
      byToken.clear();
      aliases.clear();
      counters.clear();
      revoked.clear();
      version++;
    },
  };
}

function isVaultState(state: unknown): state is PiiVaultState {
  if (state === null || typeof state !== 'object') return false;
  const s = state as Record<string, unknown>;
  return s.v === 1 && s.counters !== null && typeof s.counters === 'object' && !Array.isArray(s.counters)
    && Array.isArray(s.entries) && Array.isArray(s.revoked);
}
