// PII tokenization both ways for one MCP session: what `execute` returns (value, logs, error) gets
// session tokens; tokens a later program passes in tool arguments are restored before the upstream
// sees them. Per-server switches: `tokenize: false` (its data is not personal), `restore: false`.
// Created by createPrivacy(); used by runtime/ through PiiSession/PiiRun only.
import { compileDetectors, mayHoldPii, replacePii, type BuiltinDetector, type CustomPattern, type Detector } from './detectors.js';
import { createPiiVault, type PiiVault } from './pii-vault.js';

export interface ServerPrivacy {
  readonly tokenize: boolean;
  readonly restore: boolean;
}

export interface PrivacySettings {
  readonly enabled: boolean;
  readonly detectors: readonly BuiltinDetector[];
  readonly custom: readonly CustomPattern[];
  readonly servers: Readonly<Record<string, ServerPrivacy>>;
  readonly maxEntries: number;
}

export interface PiiCounts {
  /** Values replaced by tokens in the surfaced output, per label. */
  readonly tokenized: Readonly<Record<string, number>>;
  /** Tokens restored to real values in tool arguments. */
  readonly restored: number;
}

/** One execute's view of a session: shares the session's tokens, counts its own work. */
export interface PiiRun {
  tokenizeText(text: string): string;
  /** Tokenizes every string and key inside a JSON text; answers JSON text. */
  tokenizeJson(json: string): string;
  /** A copy of `args` with this session's tokens restored, unless `server` has `restore: false`. */
  restoreArguments(server: string, args: Record<string, unknown>): Record<string, unknown>;
  /** Sees a tool result: values from a `tokenize: false` server are left as they are in this run. */
  observeResult(server: string, json: string): void;
  counts(): PiiCounts;
}

export interface PiiSession {
  beginRun(): PiiRun;
  /** Distinct values remembered now. */
  readonly size: number;
  /** Forgets every value; the session's tokens can no longer be restored. */
  close(): void;
}

export interface Privacy {
  /** A fresh session with its own token map; undefined when tokenization is off. */
  openSession(): PiiSession | undefined;
  readonly detectors: readonly Detector[];
}

const TOKEN = /\[[A-Z][A-Z0-9_]*_\d+\]/g;

export function createPrivacy(settings: PrivacySettings): Privacy {
  const detectors = compileDetectors(settings.detectors, settings.custom);
  return {
    detectors,
    openSession: () => (settings.enabled && detectors.length > 0 ? createPiiSession(detectors, settings) : undefined),
  };
}

function createPiiSession(detectors: readonly Detector[], settings: PrivacySettings): PiiSession {
  const vault = createPiiVault({ maxEntries: settings.maxEntries });
  return {
    beginRun: () => createPiiRun(vault, detectors, settings),
    get size() {
      return vault.size;
    },
    close: () => vault.clear(),
  };
}

function createPiiRun(vault: PiiVault, detectors: readonly Detector[], settings: PrivacySettings): PiiRun {
  const tokenized: Record<string, number> = {};
  let restored = 0;
  const exempt = new Set<string>();

  const tokenizeText = (text: string): string => {
    if (!mayHoldPii(text, detectors)) return text;
    return replacePii(text, detectors, ({ label, value }) => {
      if (exempt.has(value)) return value;
      tokenized[label] = (tokenized[label] ?? 0) + 1;
      return vault.tokenFor(label, value);
    });
  };

  const restoreText = (text: string): string => {
    if (!text.includes('[')) return text;
    return text.replace(TOKEN, (token) => {
      const value = vault.valueOf(token);
      if (value === undefined) return token;
      restored++;
      return value;
    });
  };

  return {
    tokenizeText,
    tokenizeJson(json) {
      if (!mayHoldPii(json, detectors)) return json;
      try {
        return JSON.stringify(mapStrings(JSON.parse(json) as unknown, tokenizeText));
      } catch {
        return tokenizeText(json);
      }
    },
    restoreArguments(server, args) {
      if (settings.servers[server]?.restore === false) return args;
      return mapStrings(args, restoreText) as Record<string, unknown>;
    },
    observeResult(server, json) {
      if (settings.servers[server]?.tokenize !== false || !mayHoldPii(json, detectors)) return;
      replacePii(json, detectors, ({ value }) => {
        exempt.add(value);
        return value;
      });
    },
    counts: () => ({ tokenized: { ...tokenized }, restored }),
  };
}

/** A copy of a JSON value with `fn` applied to every string and object key. */
function mapStrings(value: unknown, fn: (text: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, fn));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty: a "__proto__" key stays a plain key.
      Object.defineProperty(out, fn(key), { value: mapStrings(item, fn), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
