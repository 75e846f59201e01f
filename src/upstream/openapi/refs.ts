// Local `$ref` handling in an OpenAPI document: JSON pointers, following a chain of refs for
// parameters/bodies/responses, and making a schema resolvable from a root that carries only
// `components` (refs elsewhere are inlined, external ones become `{}`). Pure; imported by extract.ts.
import { resolvePointer } from '../../common/index.js';
import type { JsonObject } from './types.js';

const MAX_REF_HOPS = 32;
const MAX_INLINE_DEPTH = 24;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows `$ref`s until a non-ref object (a parameter, request body or response); undefined when broken. */
export function deref(doc: unknown, node: unknown): JsonObject | undefined {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current['$ref'] === 'string'; hops++) {
    if (hops >= MAX_REF_HOPS) return undefined;
    current = resolvePointer(doc, current['$ref']);
  }
  return isObject(current) ? current : undefined;
}

/**
 * A schema whose refs all point into `#/components/` (kept, so named and recursive types survive),
 * with refs anywhere else inlined and external refs replaced by `{}`. Copies only what it changes.
 */
export function localizeSchema(doc: unknown, schema: unknown, depth = 0): unknown {
  if (Array.isArray(schema)) {
    let changed = false;
    const out = schema.map((item) => {
      const next = localizeSchema(doc, item, depth + 1);
      changed ||= next !== item;
      return next;
    });
    return changed ? out : schema;
  }
  if (!isObject(schema)) return schema;
  const ref = schema['$ref'];
  if (typeof ref === 'string' && !ref.startsWith('#/components/')) {
    if (depth > MAX_INLINE_DEPTH || !ref.startsWith('#')) return {};
    return localizeSchema(doc, resolvePointer(doc, ref) ?? {}, depth + 1);
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'example' || key === 'examples' || key === 'enum' || key === 'const' || key === 'default') continue;
    const next = localizeSchema(doc, value, depth + 1);
    if (next !== value) (out ??= { ...schema })[key] = next;
  }
  return out ?? schema;
}

/**
 * Rewrites OpenAPI 3.0 quirks in place so JSON Schema validators read the document:
 * boolean `exclusiveMinimum`/`exclusiveMaximum` become the draft-06+ numeric form.
 */
export function normalizeOpenApi30(doc: unknown): void {
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    const s = node as Record<string, unknown>;
    for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof s[flag] !== 'boolean') continue;
      if (s[flag] === true && typeof s[bound] === 'number') {
        s[flag] = s[bound];
        delete s[bound];
      } else delete s[flag];
    }
    for (const [key, value] of Object.entries(s)) if (key !== 'example' && key !== 'examples') walk(value);
  };
  walk(doc);
}
