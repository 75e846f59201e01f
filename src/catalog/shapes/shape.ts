// The learned result shape: a JSON Schema subset (type, format, items, properties, required,
// additionalProperties) with no values in it, ever: no enum, const, examples or descriptions.
// Plain data, persisted as is; `readShape` rebuilds one from untrusted JSON through that allowlist.

export type Kind = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
export type StringFormat = 'date-time' | 'date' | 'uuid' | 'email' | 'uri';

/** `{}` is any value: a part cut by a bound, or never seen in detail. */
export interface Shape {
  readonly type?: Kind | readonly Kind[];
  /** Strings only: every string seen here had this format. */
  readonly format?: StringFormat;
  /** Arrays: the merged shape of every item seen; absent while only empty arrays were seen. */
  readonly items?: Shape;
  /** Objects: each field seen, by name. */
  readonly properties?: Readonly<Record<string, Shape>>;
  /** Fields present in every object seen. */
  readonly required?: readonly string[];
  /** Objects keyed by data (ids, emails, dates) or with too many fields: one shape for every value. */
  readonly additionalProperties?: Shape;
}

export interface ShapeBounds {
  /** Nesting of objects and arrays kept; deeper parts become `{}`. */
  readonly maxDepth: number;
  /** Fields an object keeps by name; past it the object becomes a record of one value shape. */
  readonly maxProperties: number;
  /** Schema nodes in one shape; past it the deepest levels are cut to `{}` until it fits. */
  readonly maxNodes: number;
  /** Values one learning pass looks at (array items, fields); the rest of a huge result is `{}`. */
  readonly maxVisits: number;
}

export const DEFAULT_SHAPE_BOUNDS: ShapeBounds = { maxDepth: 8, maxProperties: 48, maxNodes: 400, maxVisits: 200_000 };

/** Order in which a union's kinds are written, so equal shapes serialize equally. */
export const KIND_ORDER: readonly Kind[] = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
export const STRING_FORMATS: readonly StringFormat[] = ['date-time', 'date', 'uuid', 'email', 'uri'];

const MAX_READ_DEPTH = 32;
// A field name: an identifier-like word. Anything else (spaces, @, /, dots, digits first) is data.
const FIELD_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/;
// Identifier-like but still data: long hex ids (commit SHAs, hashes).
const HEX_ID = /^[0-9a-f]{12,}$/i;

/** Whether an object key reads as a field name rather than as data (learned shapes name no other). */
export function isFieldName(key: string): boolean {
  return FIELD_NAME.test(key) && !HEX_ID.test(key);
}

/** A Shape rebuilt from untrusted JSON (a cache file): only the allowed keywords, each checked; undefined if malformed. */
export function readShape(raw: unknown, depth = 0): Shape | undefined {
  if (!isRecord(raw) || depth > MAX_READ_DEPTH) return undefined;
  const out: { -readonly [K in keyof Shape]: Shape[K] } = {};
  const type = raw['type'];
  if (type !== undefined) {
    const kinds = Array.isArray(type) ? type : [type];
    if (kinds.length === 0 || !kinds.every(isKind)) return undefined;
    out.type = Array.isArray(type) ? [...(kinds as Kind[])] : (type as Kind);
  }
  if (raw['format'] !== undefined) {
    if (!STRING_FORMATS.includes(raw['format'] as StringFormat)) return undefined;
    out.format = raw['format'] as StringFormat;
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    if (raw[key] === undefined) continue;
    const sub = readShape(raw[key], depth + 1);
    if (!sub) return undefined;
    out[key] = sub;
  }
  if (raw['properties'] !== undefined) {
    if (!isRecord(raw['properties'])) return undefined;
    const entries: [string, Shape][] = [];
    for (const [key, value] of Object.entries(raw['properties'])) {
      if (!isFieldName(key)) return undefined;
      const sub = readShape(value, depth + 1);
      if (!sub) return undefined;
      entries.push([key, sub]);
    }
    out.properties = Object.fromEntries(entries);
  }
  if (raw['required'] !== undefined) {
    const required = raw['required'];
    if (!Array.isArray(required) || !required.every((r) => typeof r === 'string' && out.properties !== undefined && Object.hasOwn(out.properties, r))) return undefined;
    out.required = [...(required as string[])];
  }
  return out;
}

export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && (KIND_ORDER as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
