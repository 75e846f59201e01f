// PII tokenization both ways for one MCP session: what `execute` returns (value, logs, error) gets
// session tokens; tokens a later program passes in tool arguments are restored before the upstream
// sees them. Per-server switches: `tokenize: false` (its data is not personal), `restore: false`.
// Order is structural: every text is tokenized first, then the raw tail before a cut mark is
// dropped (cut-tails.ts); JSON numbers are tokenized like strings (a card number as a number).
// Created by createPrivacy(); used by runtime/ through PiiSession/PiiRun only.
import { CUT_MARK } from '../common/index.js';
import { dropCutTails } from './cut-tails.js';
import { compileDetectors, mayHoldPii, replacePii, type BuiltinDetector, type CustomPattern, type Detector } from './detectors.js';
import { createPiiVault, type PiiVault, type PiiVaultState } from './pii-vault.js';

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
  /** Tokenizes, then drops the raw tail before each CUT_MARK (a value a cut split in half). */
  tokenizeText(text: string): string;
  /** tokenizeText without counting: for text counted when it is surfaced (console lines streamed live). */
  tokenizeUncounted(text: string): string;
  /** Tokenizes every string, key and number inside a JSON text; answers JSON text. */
  tokenizeJson(json: string): string;
  /** A copy of `args` with this session's tokens restored, unless `server` has `restore: false`. */
  restoreArguments(server: string, args: Record<string, unknown>): Record<string, unknown>;
  /**
   * Sees a tool result: values from a `tokenize: false` server are left as they are in this run,
   * unless a tokenizing server also returned them in this run (then they are tokenized).
   */
  observeResult(server: string, json: string): void;
  counts(): PiiCounts;
}

/** Runs are synchronous inside; a session store keeps the map between runs through export/merge. */
export interface PiiSession {
  beginRun(): PiiRun;
  /** Distinct values remembered now. */
  readonly size: number;
  /** Bumped by every change a store should see. */
  readonly version: number;
  /** The token map as JSON. */
  exportState(): PiiVaultState;
  /** Merges a stored map in (see PiiVault.mergeState): tokens of earlier runs restore again. */
  mergeState(state: unknown): void;
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
    get version() {
      return vault.version;
    },
    exportState: () => vault.exportState(),
    mergeState: (state) => vault.mergeState(state),
    close: () => vault.clear(),
  };
}

function createPiiRun(vault: PiiVault, detectors: readonly Detector[], settings: PrivacySettings): PiiRun {
  const tokenized: Record<string, number> = {};
  let restored = 0;
  const exempt = new Set<string>();
  /** Values a tokenizing server returned in this run: never exempt, whoever else returned them. */
  const personal = new Set<string>();
  const anyExempt = Object.values(settings.servers).some((server) => server.tokenize === false);
  let counting = true;

  const tokenFor = (label: string, value: string): string => {
    if (exempt.has(value) && !personal.has(value)) return value;
    if (counting) tokenized[label] = (tokenized[label] ?? 0) + 1;
    return vault.tokenFor(label, value);
  };

  const tokenizeText = (text: string): string => {
    const cut = text.includes(CUT_MARK);
    if (!cut && !mayHoldPii(text, detectors)) return text;
    const out = replacePii(text, detectors, ({ label, value }) => tokenFor(label, value));
    return cut ? dropCutTails(out) : out;
  };

  /** A JSON number (or digit string) that is PII by itself, or by the name of its field. */
  const tokenizeNumber = (digits: string, key: string | undefined): string | undefined => {
    const whole = replacePii(digits, detectors, ({ label, value }) => (value === digits ? tokenFor(label, value) : value));
    if (whole !== digits) return whole;
    const hinted = key === undefined ? undefined : hintedLabel(key, digits);
    return hinted ? tokenFor(hinted, digits) : undefined;
  };

  const tokenizeValue = (value: unknown, key?: string): unknown => {
    if (typeof value === 'number') {
      const digits = Number.isSafeInteger(value) && value > 0 ? String(value) : undefined;
      return digits === undefined ? value : tokenizeNumber(digits, key) ?? value;
    }
    if (typeof value === 'string') return /^\d{7,19}$/.test(value) ? tokenizeNumber(value, key) ?? tokenizeText(value) : tokenizeText(value);
    if (Array.isArray(value)) return value.map((item) => tokenizeValue(item, key));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(value)) {
        // defineProperty: a "__proto__" key stays a plain key.
        Object.defineProperty(out, tokenizeText(k), { value: tokenizeValue(item, k), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return value;
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
    tokenizeUncounted(text) {
      counting = false;
      try {
        return tokenizeText(text);
      } finally {
        counting = true;
      }
    },
    tokenizeJson(json) {
      if (!mayHoldPii(json, detectors)) return json;
      try {
        return JSON.stringify(tokenizeValue(JSON.parse(json) as unknown));
      } catch {
        return tokenizeText(json);
      }
    },
    restoreArguments(server, args) {
      if (settings.servers[server]?.restore === false) return args;
      return mapStrings(args, restoreText) as Record<string, unknown>;
    },
    observeResult(server, json) {
      if (!anyExempt || !mayHoldPii(json, detectors)) return;
      const into = settings.servers[server]?.tokenize === false ? exempt : personal;
      replacePii(json, detectors, ({ value }) => {
        into.add(value);
        return value;
      });
    },
    counts: () => ({ tokenized: { ...tokenized }, restored }),
  };
}

/** Field names that make a bare number personal: phone (7-15 digits), SSN (9), card (Luhn-checked by the detector). */
function hintedLabel(key: string, digits: string): string | undefined {
  if (/phone|mobile|msisdn|fax|(?:^|_)tel(?:$|_)|telephone/i.test(key) && digits.length >= 7 && digits.length <= 15) return 'PHONE';
  if (/(?:^|[^a-z])ssn|social.?security/i.test(key) && digits.length === 9) return 'SSN';
  return undefined;
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
