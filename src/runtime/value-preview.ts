// A preview of a returned value over the answer budget: its shape (keys, types, array lengths),
// then the value with every array (and object) cut to its first items and long strings clipped,
// within a token budget. Pure; imported by surface.ts only. It reads JSON the PII tokenizer has
// already seen; an object's keys are listed once, so the work is bounded by what is shown.
import { estimateTokens, truncateToTokens } from '../common/index.js';

export interface ValuePreview {
  /** The shape line and the cut value, within the budget. */
  readonly text: string;
  /** What the paging hint reads from the whole value: `all.items`, `all` (the value itself). */
  readonly path: string;
  /** What is at `path`. */
  readonly kind: 'array' | 'string' | 'object';
  /** Items (array), keys (object) or characters (string) at `path`; absent when nothing there was cut. */
  readonly length?: number;
  /** How many of them the preview shows (the first index not shown). */
  readonly shownUpTo?: number;
}

/** How deep a shape or a sample goes; deeper parts read `{…}` / `[…]`. */
const MAX_DEPTH = 4;
/** Keys per object in a shape, and at least this many in a sample. */
const MAX_KEYS = 24;
/** Items per array sampled for the shape of their elements. */
const SHAPE_SAMPLE = 20;
/** Clip lengths tried for long strings, longest first. */
const STRING_CLIPS = [400, 120, 40] as const;
/** Most items (or keys) of one collection a sample shows. */
const MAX_ITEMS = 200;

/** Undefined when `json` does not parse (the caller cuts the text instead). */
export function previewValue(json: string, budgetTokens: number): ValuePreview | undefined {
  const parsed = parseValue(json);
  return parsed && previewOf(parsed.value, budgetTokens);
}

/** The value of a JSON text, boxed; undefined when it is not JSON. */
export function parseValue(json: string): { readonly value: unknown } | undefined {
  try {
    return { value: JSON.parse(json) as unknown };
  } catch {
    return undefined;
  }
}

/** The preview of a parsed value (previewValue without the parse: a caller fitting it twice parses once). */
export function previewOf(value: unknown, budgetTokens: number): ValuePreview {
  if (typeof value === 'string') return previewString(value, budgetTokens);
  const shapeLine = `shape: ${clipShape(describeShape(value, 0), Math.max(20, Math.floor(budgetTokens / 4)))}`;
  const target = largestCollection(value);
  const unit = target.kind === 'array' ? 'items' : 'keys';
  const heading = (n: number): string => (target.size > 0 ? `first ${n} of ${target.size.toLocaleString('en-US')} ${unit} of ${target.path}` : 'the value');
  const room = Math.max(0, budgetTokens - estimateTokens(`${shapeLine}\n${heading(MAX_ITEMS)}:\n`) - 2);
  const sample = fitSample(value, room);
  const shown = Math.min(target.size, target.kind === 'array' ? sample?.items ?? 0 : Math.max(MAX_KEYS, sample?.items ?? 0));
  const text = sample ? `${shapeLine}\n${heading(shown)}:\n${sample.text}` : shapeLine;
  const cutThere = target.size > shown;
  return { text, path: target.path, kind: target.kind, ...(cutThere ? { length: target.size, shownUpTo: sample ? shown : 0 } : {}) };
}

function previewString(value: string, budgetTokens: number): ValuePreview {
  const shapeLine = `shape: a string of ${value.length.toLocaleString('en-US')} characters`;
  const { text } = truncateToTokens(value, Math.max(0, budgetTokens - estimateTokens(shapeLine) - 2));
  return { text: `${shapeLine}\n${text}`, path: 'all', kind: 'string', length: value.length, shownUpTo: text.length };
}

/** A TypeScript-like type of the value: `{ items: { id: number, name: string }[] (12,000), total: number }`. */
export function describeShape(value: unknown, depth: number): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const count = ` (${value.length.toLocaleString('en-US')})`;
    if (depth >= MAX_DEPTH) return `[…]${count}`;
    const elements = describeElements(value.slice(0, SHAPE_SAMPLE), depth + 1);
    return `${elements.length > 1 ? `(${elements.join(' | ')})` : elements.join('')}[]${count}`;
  }
  if (typeof value === 'object') {
    const { keys, total } = keysOf(value);
    if (total === 0) return '{}';
    if (depth >= MAX_DEPTH) return '{…}';
    const record = value as Record<string, unknown>;
    const shown = keys.slice(0, MAX_KEYS).map((k) => `${propertyName(k)}: ${describeShape(record[k], depth + 1)}`);
    if (total > MAX_KEYS) shown.push(`… ${(total - MAX_KEYS).toLocaleString('en-US')} more keys`);
    return `{ ${shown.join(', ')} }`;
  }
  return typeof value;
}

/** The elements' types, objects merged into one (keys some lack marked `?`), others as members of a union. */
function describeElements(items: readonly unknown[], depth: number): string[] {
  const objects = items.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v));
  const others = new Set(items.filter((v) => !objects.includes(v as Record<string, unknown>)).map((v) => describeShape(v, depth)));
  const parts = [...others];
  if (objects.length) {
    const types = new Map<string, Set<string>>();
    const seen = new Map<string, number>();
    for (const object of objects) {
      for (const k of keysOf(object).keys.slice(0, MAX_KEYS)) {
        if (!types.has(k) && types.size >= MAX_KEYS) continue;
        const set = types.get(k) ?? new Set<string>();
        set.add(describeShape(object[k], depth + 1));
        types.set(k, set);
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
    }
    if (depth >= MAX_DEPTH) parts.unshift('{…}');
    else {
      const fields = [...types].map(([k, set]) => `${propertyName(k)}${seen.get(k) === objects.length ? '' : '?'}: ${[...set].slice(0, 4).join(' | ')}`);
      parts.unshift(fields.length ? `{ ${fields.join(', ')} }` : '{}');
    }
  }
  return parts.slice(0, 6);
}

// An object's first keys and its key count, listed once per object (a 400,000-key object costs one Object.keys).
const listed = new WeakMap<object, { keys: string[]; total: number }>();
function keysOf(value: object): { keys: string[]; total: number } {
  let entry = listed.get(value);
  if (!entry) {
    const all = Object.keys(value);
    entry = { keys: all.length > MAX_ITEMS ? all.slice(0, MAX_ITEMS) : all, total: all.length };
    listed.set(value, entry);
  }
  return entry;
}

function propertyName(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

function clipShape(shape: string, maxTokens: number): string {
  const { text, cut } = truncateToTokens(shape, maxTokens);
  return cut ? `${text}…` : text;
}

interface Target {
  readonly path: string;
  readonly kind: 'array' | 'object';
  /** Items or keys; 0 for a scalar value. */
  readonly size: number;
}

/** The collection with the most items or keys, at the top or under object keys (to MAX_DEPTH): what a program would page through. */
function largestCollection(value: unknown): Target {
  let best: Target = { path: 'all', kind: Array.isArray(value) ? 'array' : 'object', size: 0 };
  const visit = (v: unknown, path: string, depth: number): void => {
    if (typeof v !== 'object' || v === null) return;
    const array = Array.isArray(v);
    const size = array ? v.length : keysOf(v).total;
    if (size > best.size) best = { path, kind: array ? 'array' : 'object', size };
    if (array || depth >= MAX_DEPTH) return;
    const record = v as Record<string, unknown>;
    for (const k of keysOf(v).keys.slice(0, MAX_KEYS * 4)) visit(record[k], `${path}${accessor(k)}`, depth + 1);
  };
  visit(value, 'all', 0);
  return best;
}

function accessor(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * The value as JSON with each array cut to its first `items` (objects to at least MAX_KEYS keys),
 * strings clipped: the most items that fit `budgetTokens`, with the longest clip that lets any fit.
 */
function fitSample(value: unknown, budgetTokens: number): { text: string; items: number } | undefined {
  const maxItems = Math.min(MAX_ITEMS, Math.max(0, ...sizes(value)));
  for (const clip of STRING_CLIPS) {
    const render = (items: number): string => JSON.stringify(prune(value, items, clip, 0));
    if (estimateTokens(render(0)) > budgetTokens) continue;
    // The largest item count that still fits (the rendering grows with it).
    let lo = 0;
    let hi = maxItems;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (estimateTokens(render(mid)) <= budgetTokens) lo = mid;
      else hi = mid - 1;
    }
    return { text: render(lo), items: lo };
  }
  return undefined;
}

/** Items and key counts along the value's first elements, to bound the search for how many fit. */
function sizes(value: unknown, depth = 0): number[] {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return [value.length, ...value.slice(0, 1).flatMap((v) => sizes(v, depth + 1))];
  const record = value as Record<string, unknown>;
  const { keys, total } = keysOf(value);
  return [total, ...keys.slice(0, MAX_KEYS).flatMap((k) => sizes(record[k], depth + 1))];
}

/** A copy of `value` for display: arrays to `items` (then a "… N more" string), objects to max(MAX_KEYS, items) keys, strings to `clip`. */
function prune(value: unknown, items: number, clip: number, depth: number): unknown {
  if (typeof value === 'string') return value.length > clip ? `${value.slice(0, clip)}… (${value.length.toLocaleString('en-US')} chars)` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `[… ${value.length} items]` : '{…}';
  if (Array.isArray(value)) {
    const shown = value.slice(0, items).map((v) => prune(v, items, clip, depth + 1));
    if (value.length > shown.length) shown.push(`… ${(value.length - shown.length).toLocaleString('en-US')} more items`);
    return shown;
  }
  const record = value as Record<string, unknown>;
  const { keys, total } = keysOf(value);
  const count = Math.max(MAX_KEYS, items);
  // fromEntries defines own properties: a `__proto__` key stays a key.
  const shown: [string, unknown][] = keys.slice(0, count).map((k) => [k, prune(record[k], items, clip, depth + 1)]);
  if (total > shown.length) shown.push(['…', `${(total - shown.length).toLocaleString('en-US')} more keys`]);
  return Object.fromEntries(shown);
}

/** The code that reads the next part of the whole value through its handle. */
export function pagingCode(handleId: string, preview: ValuePreview | undefined): string {
  const read = `await handles.get(${JSON.stringify(handleId)})`;
  const from = preview?.shownUpTo ?? 0;
  if (preview?.kind === 'string') return `const text = ${read}; return text.slice(${from}, ${from + Math.max(from, 1_000)})`;
  if (preview?.length === undefined) return `const all = ${read}; return Object.keys(all)`;
  const to = from + Math.max(from, 1);
  if (preview.kind === 'array') return `const all = ${read}; return ${preview.path}.slice(${from}, ${to})`;
  return `const all = ${read}; return Object.fromEntries(Object.entries(${preview.path}).slice(${from}, ${to}))`;
}
