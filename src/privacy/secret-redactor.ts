// The one secret redactor: every configured credential, in every encoding an echo can carry it
// (raw; JSON-escaped incl. `\/` and `\uXXXX`; URL-encoded incl. `+`; HTML references; up to three
// layers deep; base64/base64url at any alignment, of the secret raw or URL/JSON-encoded), becomes
// [SECRET]. Built once from the config's secrets (see secret-sources.ts); runtime/ and
// cli/ send everything bound for the model, the logs and the audit through it. Pure.
import { decodeLayer, decodeLayerWithOffsets, mayDecode } from './echo-decoding.js';
import { createNeedleIndex } from './needle-index.js';

export const SECRET_MARK = '[SECRET]';
/** Shorter values are not treated as secrets: they would blank ordinary words. */
const MIN_SECRET_CHARS = 6;
/** Decoding layers searched beyond the text as it is (JSON in a URL in JSON). */
const MAX_LAYERS = 3;
const BASE64_CHAR = /[A-Za-z0-9+/=_-]/;

export interface SecretRedactor {
  /** Number of distinct secrets it knows. */
  readonly size: number;
  /** True when `text` holds a secret in any encoding this redactor knows. */
  finds(text: string): boolean;
  /** `text` with every secret, in every known encoding, replaced by [SECRET]. */
  redactText(text: string): string;
  /** A copy of a JSON value with strings, keys and numbers redacted; the same value when it held none. */
  redactValue<T>(value: T): T;
  /** A base64 (or base64url) payload decoded, redacted and re-encoded; unchanged when it held none. */
  redactBase64(data: string): string;
}

interface Needle {
  readonly text: string;
  /** Base64 needles cover one character more on each side (its bits are part secret). */
  readonly base64: boolean;
}

export function createSecretRedactor(values: readonly string[]): SecretRedactor {
  const secrets = [...new Set(values.filter((v) => typeof v === 'string' && v.length >= MIN_SECRET_CHARS))];
  const needles = needlesOf(secrets);
  const index = needles.length ? createNeedleIndex(needles.map((n) => n.text)) : undefined;
  const numeric = secrets.some((s) => /^-?\d+(?:\.\d+)?$/.test(s));

  /** The text and up to MAX_LAYERS decoded layers of it. */
  const layersOf = (text: string): string[] => {
    const layers = [text];
    for (let i = 0; i < MAX_LAYERS; i++) {
      const last = layers[layers.length - 1] ?? '';
      if (!mayDecode(last)) break;
      const next = decodeLayer(last);
      if (next === last) break;
      layers.push(next);
    }
    return layers;
  };

  /** Layer by layer, holding two at most and stopping at the first hit. */
  const finds = (text: string): boolean => {
    if (!index) return false;
    let layer = text;
    for (let depth = 0; ; depth++) {
      if (index.test(layer)) return true;
      if (depth >= MAX_LAYERS || !mayDecode(layer)) return false;
      const next = decodeLayer(layer);
      if (next === layer) return false;
      layer = next;
    }
  };

  const redactText = (text: string): string => {
    if (!index || text.length < MIN_SECRET_CHARS - 2) return text;
    if (!finds(text)) return text;
    const layers = layersOf(text);
    const deepest = layers.findLastIndex((layer) => index.test(layer));
    // Slow path (a secret is there): find every occurrence, map it back to the text's offsets.
    const spans: [number, number][] = [];
    let maps: Int32Array[] = [];
    let current = text;
    for (let depth = 0; depth <= deepest; depth++) {
      if (depth > 0) {
        const decoded = decodeLayerWithOffsets(current);
        maps = [...maps, decoded.starts];
        current = decoded.text;
      }
      for (const [start, end] of widen(current, index.all(current), needles)) spans.push([toOrigin(start, maps), toOrigin(end, maps)]);
    }
    return replaceSpans(text, spans);
  };

  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return redactText(value);
    if (typeof value === 'number') return numeric && redactText(String(value)) !== String(value) ? SECRET_MARK : value;
    if (Array.isArray(value)) {
      const items = value.map(walk);
      return items.every((item, i) => item === value[i]) ? value : items;
    }
    if (value !== null && typeof value === 'object') {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const k = redactText(key);
        const v = walk(item);
        if (k !== key || v !== item) changed = true;
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return changed ? out : value;
    }
    return value;
  };

  // One search of the whole value first (linear, every encoding): nearly every value holds no secret.
  const redactValue = <T>(value: T): T => (index && finds(JSON.stringify(value) ?? '') ? (walk(value) as T) : value);

  const redactBase64 = (data: string): string => {
    if (!index || data.length === 0) return data;
    const url = /[-_]/.test(data);
    const body = Buffer.from(data, url ? 'base64url' : 'base64').toString('latin1');
    const clean = redactText(body);
    if (clean !== body) return Buffer.from(clean, 'latin1').toString(url ? 'base64url' : 'base64');
    // Not decodable as one body (or the secret sits across its framing): redact the text itself.
    return redactText(data);
  };

  return { size: secrets.length, finds, redactText, redactValue, redactBase64 };
}

/**
 * The forms each secret is searched in, in every decoded layer: raw, form-encoded spaces, its own
 * decoding, its UTF-8 bytes as Latin-1 (a binary body), and base64 of it raw, URL-encoded,
 * form-encoded and JSON-escaped (an echo that was encoded, then base64-encoded).
 */
function needlesOf(secrets: readonly string[]): Needle[] {
  const texts = new Set<string>();
  const base64 = new Set<string>();
  for (const secret of secrets) {
    const forms = new Set([secret, secret.replace(/ /g, '+'), decodeLayer(secret), Buffer.from(secret, 'utf8').toString('latin1')]);
    for (const form of forms) if (form.length >= MIN_SECRET_CHARS - 2) texts.add(form);
    const json = JSON.stringify(secret).slice(1, -1);
    const encoded = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ k: secret }).toString().slice(2), json, json.replace(/\//g, '\\/')]);
    for (const form of encoded) for (const pattern of base64Patterns(Buffer.from(form, 'utf8'))) base64.add(pattern);
  }
  const out = [...[...texts].map((text) => ({ text, base64: false })), ...[...base64].filter((t) => !texts.has(t)).map((text) => ({ text, base64: true }))];
  return out.sort((a, b) => b.text.length - a.text.length);
}

/**
 * The base64 characters that encode only bytes of `secret`, for each of the three alignments it
 * can have inside a longer payload, in both alphabets. Found anywhere, the secret was there.
 */
export function base64Patterns(secret: Buffer): string[] {
  if (secret.length < MIN_SECRET_CHARS) return [];
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const stream = Buffer.concat([Buffer.alloc(k), secret, Buffer.alloc(3)]);
    const encoded = stream.toString('base64');
    const first = Math.ceil((8 * k) / 6);
    const end = Math.floor((8 * (k + secret.length)) / 6);
    const pattern = encoded.slice(first, end);
    if (pattern.length >= MIN_SECRET_CHARS) out.push(pattern, pattern.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(out)];
}

/** Occurrences as spans; base64 ones widened by one base64 character each side (its bits are part secret) and their padding. */
function widen(text: string, found: readonly [number, number, number][], needles: readonly Needle[]): [number, number][] {
  return found.map(([at, stop, n]) => {
    let start = at;
    let end = stop;
    if (needles[n]?.base64) {
      if (start > 0 && BASE64_CHAR.test(text[start - 1] ?? '')) start--;
      if (end < text.length && BASE64_CHAR.test(text[end] ?? '')) end++;
      while (text[end] === '=') end++;
    }
    return [start, end];
  });
}

/** Maps an offset in the innermost layer back through each layer's offsets to the original text. */
function toOrigin(offset: number, maps: readonly Int32Array[]): number {
  let at = offset;
  for (let i = maps.length - 1; i >= 0; i--) at = maps[i]?.[at] ?? at;
  return at;
}

function replaceSpans(text: string, spans: [number, number][]): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const parts: string[] = [];
  let last = 0;
  let open: [number, number] | undefined;
  for (const span of spans) {
    if (open && span[0] <= open[1]) {
      open[1] = Math.max(open[1], span[1]);
      continue;
    }
    if (open) {
      parts.push(text.slice(last, open[0]), SECRET_MARK);
      last = open[1];
    }
    open = [span[0], span[1]];
  }
  if (open) parts.push(text.slice(last, open[0]), SECRET_MARK);
  parts.push(text.slice(open ? open[1] : last));
  return parts.join('');
}
