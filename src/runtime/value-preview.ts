// A preview of a returned value too large for the answer budget: its shape (keys, types, array
// lengths), then the value itself with every array cut to its first items, long strings clipped,
// deep parts elided, within a token budget. Pure; imported by surface.ts only. It reads JSON the
// PII tokenizer has already seen, so what it shows is tokenized like the rest of the answer.
import { estimateTokens, truncateToTokens } from '../common/index.js';

export interface ValuePreview {
  /** The shape line and the cut value, within the budget. */
  readonly text: string;
  /** What the paging hint reads from the whole value: `all.items`, `all` (a top-level array or string). */
  readonly path: string;
  /** The first index (array) or character (string) of `path` not shown; undefined when nothing was cut there. */
  readonly shownUpTo?: number;
  /** Items (array) or characters (string) of `path`. */
  readonly length?: number;
  readonly kind: 'array' | 'string' | 'object';
}

/** How deep a shape or a sample goes; deeper parts read `{…}` / `[…]`. */
const MAX_DEPTH = 4;
/** Keys shown per object, in a shape and in a sample. */
const MAX_KEYS = 24;
/** Items per array sampled for the shape of their elements. */
const SHAPE_SAMPLE = 20;
/** Clip lengths tried for long strings, longest first. */
const STRING_CLIPS = [400, 120, 40] as const;
/** Most items of one array a sample shows. */
const MAX_ITEMS = 200;

/** Undefined when `json` does not parse (the caller cuts the text instead). */
export function previewValue(json: string, budgetTokens: number): ValuePreview | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value === 'string') return previewString(value, budgetTokens);
  const shapeLine = `shape: ${clipShape(describeShape(value, 0), Math.max(20, Math.floor(budgetTokens / 4)))}`;
  const target = largestArray(value);
  const heading = (items: number): string => (target.array ? `first ${items} of ${target.array.length.toLocaleString('en-US')} items of ${target.path}` : 'the value, cut');
  const room = Math.max(0, budgetTokens - estimateTokens(`${shapeLine}\n${heading(MAX_ITEMS)}:\n`) - 2);
  const sample = fitSample(value, target.array, room);
  const kind = Array.isArray(value) ? 'array' : 'object';
  const what = heading(sample?.items ?? 0);
  const head = sample ? `${shapeLine}\n${what}:\n${sample.text}` : shapeLine;
  return {
    text: head,
    path: target.path,
    kind,
    ...(target.array ? { length: target.array.length, shownUpTo: sample?.items ?? 0 } : {}),
  };
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
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    if (depth >= MAX_DEPTH) return '{…}';
    const shown = entries.slice(0, MAX_KEYS).map(([k, v]) => `${propertyName(k)}: ${describeShape(v, depth + 1)}`);
    if (entries.length > MAX_KEYS) shown.push(`… ${entries.length - MAX_KEYS} more keys`);
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
    const keys = new Map<string, Set<string>>();
    const seen = new Map<string, number>();
    for (const object of objects) {
      for (const [k, v] of Object.entries(object)) {
        if (!keys.has(k) && keys.size >= MAX_KEYS) continue;
        const types = keys.get(k) ?? new Set<string>();
        types.add(describeShape(v, depth + 1));
        keys.set(k, types);
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
    }
    if (depth >= MAX_DEPTH) parts.unshift('{…}');
    else {
      const fields = [...keys].map(([k, types]) => `${propertyName(k)}${seen.get(k) === objects.length ? '' : '?'}: ${[...types].slice(0, 4).join(' | ')}`);
      parts.unshift(fields.length ? `{ ${fields.join(', ')} }` : '{}');
    }
  }
  return parts.slice(0, 6);
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
  readonly array?: readonly unknown[];
}

/** The longest array at the top or under object keys (to MAX_DEPTH): what a program would page through. */
function largestArray(value: unknown): Target {
  let best: Target = { path: 'all' };
  const visit = (v: unknown, path: string, depth: number): void => {
    if (Array.isArray(v)) {
      if (!best.array || v.length > best.array.length) best = { path, array: v };
      return;
    }
    if (typeof v !== 'object' || v === null || depth >= MAX_DEPTH) return;
    for (const [k, child] of Object.entries(v).slice(0, MAX_KEYS * 4)) visit(child, `${path}${accessor(k)}`, depth + 1);
  };
  visit(value, 'all', 0);
  return best;
}

function accessor(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * The value as JSON with each array cut to its first `items` (the target array's count is what
 * `items` reports), strings clipped; the most items that fit `budgetTokens`, the longest clip first.
 */
function fitSample(value: unknown, target: readonly unknown[] | undefined, budgetTokens: number): { text: string; items: number } | undefined {
  const maxItems = Math.min(MAX_ITEMS, Math.max(...arrayLengths(value), 0));
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
    return { text: render(lo), items: target ? Math.min(lo, target.length) : 0 };
  }
  return undefined;
}

function arrayLengths(value: unknown, depth = 0): number[] {
  if (depth > MAX_DEPTH) return [];
  if (Array.isArray(value)) return [value.length, ...value.slice(0, 1).flatMap((v) => arrayLengths(v, depth + 1))];
  if (typeof value === 'object' && value !== null) return Object.values(value).slice(0, MAX_KEYS).flatMap((v) => arrayLengths(v, depth + 1));
  return [];
}

/** A copy of `value` for display: arrays to `items` (then a "… N more" string), strings to `clip` characters. */
function prune(value: unknown, items: number, clip: number, depth: number): unknown {
  if (typeof value === 'string') return value.length > clip ? `${value.slice(0, clip)}… (${value.length.toLocaleString('en-US')} chars)` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `[… ${value.length} items]` : '{…}';
  if (Array.isArray(value)) {
    const shown = value.slice(0, items).map((v) => prune(v, items, clip, depth + 1));
    if (value.length > shown.length) shown.push(`… ${(value.length - shown.length).toLocaleString('en-US')} more items`);
    return shown;
  }
  const entries = Object.entries(value);
  // fromEntries defines own properties: a `__proto__` key stays a key.
  const shown: [string, unknown][] = entries.slice(0, MAX_KEYS).map(([k, v]) => [k, prune(v, items, clip, depth + 1)]);
  if (entries.length > MAX_KEYS) shown.push(['…', `${entries.length - MAX_KEYS} more keys`]);
  return Object.fromEntries(shown);
}

/** The code that reads the next part of the whole value through its handle. */
export function pagingCode(handleId: string, preview: ValuePreview | undefined): string {
  const read = `await handles.get(${JSON.stringify(handleId)})`;
  if (preview?.kind === 'string') {
    const from = preview.shownUpTo ?? 0;
    const size = Math.max(from, 1_000);
    return `const text = ${read}; return text.slice(${from}, ${from + size})`;
  }
  if (preview?.length !== undefined) {
    const from = preview.shownUpTo ?? 0;
    const size = Math.max(from, 1);
    return `const all = ${read}; return ${preview.path}.slice(${from}, ${from + size})`;
  }
  return `const all = ${read}; return Object.keys(all)`;
}
