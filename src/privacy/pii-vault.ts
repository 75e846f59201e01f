// The PII token map of one MCP session: each distinct value gets a stable token ([EMAIL_1]) while
// it is remembered; least recently used values are forgotten beyond `maxEntries` (token numbers
// are never reused). Lives only in the host; `close()` drops it. Used by pii-run.ts.

export interface PiiVaultOptions {
  /** Distinct values remembered; the least recently used are forgotten beyond it. */
  readonly maxEntries: number;
}

/** The store behind a session's tokens; in memory by default (a shared store can replace it). */
export interface PiiVault {
  /** The token of `value`, issuing `[LABEL_n]` when it has none. */
  tokenFor(label: string, value: string): string;
  /** The value behind a token issued by this vault, if still remembered. */
  valueOf(token: string): string | undefined;
  readonly size: number;
  clear(): void;
}

export function createPiiVault(options: PiiVaultOptions): PiiVault {
  // Insertion order of `byValue` is recency order: a hit is moved to the end.
  const byValue = new Map<string, string>();
  const byToken = new Map<string, string>();
  const counters = new Map<string, number>();

  const touch = (value: string, token: string): void => {
    byValue.delete(value);
    byValue.set(value, token);
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
      while (byValue.size > options.maxEntries) {
        const oldest = byValue.keys().next();
        if (oldest.done) break;
        const oldToken = byValue.get(oldest.value);
        byValue.delete(oldest.value);
        if (oldToken !== undefined) byToken.delete(oldToken);
      }
      return token;
    },
    valueOf(token) {
      const value = byToken.get(token);
      if (value !== undefined) touch(value, token);
      return value;
    },
    get size() {
      return byValue.size;
    },
    clear() {
      byValue.clear();
      byToken.clear();
      counters.clear();
    },
  };
}
