// Renders a JSON Schema as a Python type expression for a program written in Python: objects become
// TypedDict classes declared in a PyScope (py-scope.ts), enums `Literal[...]`, nullable `X | None`,
// arrays `list[X]`, maps `dict[str, X]`, tuples lists (values arrive as JSON). Pure except for the
// scope; imported by catalog/ only. Never throws: what it cannot express is `Any`. Over 300 lines:
// one recursive renderer whose keyword cases share its context; naming lives in py-scope.ts.

import type { JsonSchema as Schema } from './operation.js';
import {
  declareAlias, declareClass, findRef, isPending, isTypedDict, reserveRef, type PyField, type PyScope,
} from './py-scope.js';
import { mergeAllOf, singular, toDocLine } from './schema-to-ts.js';
import { isRecursive, resolvePointer } from './type-scope.js';

export interface SchemaToPyOptions {
  /** The document local `$ref`s point into (an OpenAPI spec, say); defaults to the schema itself. */
  readonly root?: unknown;
  /** Where the TypedDict classes and aliases go. */
  readonly scope: PyScope;
  /** 'name': every local `$ref` is declared by its name; 'inline' (default): only recursive ones are. */
  readonly refs?: 'name' | 'inline';
  /** A `# doc` comment after each field that has a description (its class then spans lines). */
  readonly docs?: boolean;
  readonly maxDocLength?: number;
  /** Longer enums render as their base type. */
  readonly maxEnumValues?: number;
  /** Nesting depth past which a schema renders as `Any` (at most 16). */
  readonly maxDepth?: number;
  /** Naming hint for the root object's class (`ReadGraphArgs`); nested classes take their key's name. */
  readonly hint?: string;
  /** The root takes exactly this name (a class, or an alias when it is no object), with `doc` above it. */
  readonly name?: string;
  readonly doc?: string;
  /** Enums that recur in a namespace, to render by a name; see `LiteralTable`. */
  readonly literals?: LiteralTable;
}

/**
 * Lets a caller name a union of literals that recurs (a chart theme's `Literal["default", "dark"]`
 * in twenty signatures): `names` maps the `Literal[...]` text to the alias to print instead; `seen`
 * hears of each such text with its naming hint (the property's key), so a first rendering can count.
 */
export interface LiteralTable {
  readonly names: ReadonlyMap<string, string>;
  readonly seen?: (literal: string, hint: string) => void;
}

const DEFAULT_MAX_DOC_LENGTH = 120;
const DEFAULT_MAX_ENUM_VALUES = 64;
const MAX_DEPTH = 16;

/** Renders `schema` as a Python type expression, declaring the classes it names in `options.scope`. */
export function schemaToPy(schema: unknown, options: SchemaToPyOptions): string {
  const ctx: Ctx = {
    root: isSchema(options.root) ? options.root : isSchema(schema) ? schema : undefined,
    scope: options.scope,
    inline: options.refs !== 'name',
    docs: options.docs === true,
    maxDoc: options.maxDocLength ?? DEFAULT_MAX_DOC_LENGTH,
    maxEnum: options.maxEnumValues ?? DEFAULT_MAX_ENUM_VALUES,
    maxDepth: Math.min(options.maxDepth ?? MAX_DEPTH, MAX_DEPTH),
    literals: options.literals,
    expanding: [],
    bare: [],
  };
  try {
    const claim = options.name === undefined ? undefined : { name: options.name, doc: options.doc };
    const text = render(schema, ctx, 0, options.hint ?? 'Args', claim).text;
    if (claim && text !== claim.name && text !== 'Any') declareAlias(ctx.scope, claim.name, text, claim.doc);
    return claim && text !== 'Any' ? claim.name : text;
  } catch {
    return 'Any'; // a throwing getter or a pathological document: degrade, never fail a listing
  }
}

/** A one-line `#` comment text: whitespace collapsed, control characters dropped, cut at a word. */
export function toPyDocLine(text: string, maxLength: number = DEFAULT_MAX_DOC_LENGTH): string {
  // eslint-disable-next-line no-control-regex
  return toDocLine(text.replace(/[\x00-\x1f\x7f\x85]/g, ' '), maxLength).replace(/\*\\\//g, '*/');
}

interface Ctx {
  readonly root: Schema | undefined;
  readonly scope: PyScope;
  readonly inline: boolean;
  readonly docs: boolean;
  readonly maxDoc: number;
  readonly maxEnum: number;
  readonly maxDepth: number;
  readonly literals: LiteralTable | undefined;
  readonly expanding: readonly string[];
  /** Named types whose body this position is the bare top of: naming one here would be `A = A | B`. */
  readonly bare: readonly string[];
}

interface Claim {
  readonly name: string;
  readonly doc?: string | undefined;
}

interface Rendered {
  readonly text: string;
  /** Set when the type is only literals: their Python spellings, to merge `Literal[...]`s in a union. */
  readonly lits?: readonly string[];
  /** Set for a union: its members, flattened into any union around it. */
  readonly members?: readonly Rendered[];
}
const ANY: Rendered = { text: 'Any' };
const NEVER: Rendered = { text: 'Never' };
const NONE: Rendered = { text: 'None' };
const prim = (text: string): Rendered => ({ text });

function render(s: unknown, ctx: Ctx, depth: number, hint: string, claim?: Claim): Rendered {
  if (s === false) return NEVER;
  if (!isSchema(s) || depth > ctx.maxDepth) return ANY;
  if (typeof s['$ref'] === 'string') return renderRef(s['$ref'], ctx, depth, hint);
  const literals = renderLiterals(s, ctx.maxEnum);
  if (literals) return withNullable(s, hoisted(literals, ctx, hint));

  let host: Schema = s;
  let allOf = rawList(s['allOf']);
  const merged = mergeAllOf(s, allOf);
  if (merged) ({ host, rest: allOf } = merged);
  const alternatives = [rawList(s['oneOf']), rawList(s['anyOf'])].filter((l) => l.length > 0);
  const combined = allOf.length > 0 || alternatives.length > 0;

  const parts = allOf.map((m) => render(m, ctx, depth + 1, hint));
  const named = parts.map((p) => p.text).filter((t) => t !== 'Any');
  // An object with its own fields beside named TypedDicts is one class deriving from them.
  if (alternatives.length === 0 && named.length > 0 && named.every((t) => isBase(ctx, t)) && hasProperties(host)) {
    return withNullable(s, renderObject(host, ctx, depth, false, hint, claim, [...new Set(named)]) ?? ANY);
  }
  const members: Rendered[] = [];
  const base = renderTypeKeyword(host, ctx, depth, combined, hint, combined ? undefined : claim);
  if (base) members.push(base);
  for (const list of alternatives) members.push(union(list.map((a) => render(a, ctx, depth + 1, hint))));
  members.push(...parts);
  return withNullable(s, intersection(members, ctx, hint, claim));
}

function renderTypeKeyword(s: Schema, ctx: Ctx, depth: number, combined: boolean, hint: string, claim: Claim | undefined): Rendered | undefined {
  const t = s['type'];
  const types = typeof t === 'string' ? [t] : Array.isArray(t) ? t.filter(isString) : inferTypes(s);
  const parts: Rendered[] = [];
  for (const type of types) {
    const part = renderType(type, s, ctx, depth, combined, hint, types.length === 1 ? claim : undefined);
    if (part) parts.push(part);
  }
  return parts.length > 0 ? union(parts) : undefined;
}

function inferTypes(s: Schema): string[] {
  if ('properties' in s || 'additionalProperties' in s || 'patternProperties' in s) return ['object'];
  if ('items' in s || 'prefixItems' in s) return ['array'];
  return [];
}

function renderType(type: string, s: Schema, ctx: Ctx, depth: number, combined: boolean, hint: string, claim: Claim | undefined): Rendered | undefined {
  switch (type) {
    case 'string': return prim('str');
    case 'integer': return prim('int');
    case 'number': return prim('float');
    case 'boolean': return prim('bool');
    case 'null': return NONE;
    case 'object': return renderObject(s, ctx, depth, combined, hint, claim);
    case 'array': return renderArray(s, ctx, depth, hint);
    default: return ANY;
  }
}

function renderObject(s: Schema, outer: Ctx, depth: number, combined: boolean, hint: string, claim: Claim | undefined, bases: readonly string[] = []): Rendered | undefined {
  const props = isSchema(s['properties']) ? Object.entries(s['properties']) : [];
  const ctx = nested(outer);
  if (props.length === 0) {
    const index = renderIndex(s, ctx, depth, hint);
    if (index) return prim(index.text === 'Any' ? 'dict' : `dict[str, ${index.text}]`);
    // A bare `type: object` beside oneOf/allOf says nothing the alternatives don't.
    return combined ? undefined : prim('dict');
  }
  const required = new Set(Array.isArray(s['required']) ? s['required'].filter(isString) : []);
  const fields: PyField[] = props.map(([key, sub]) => ({
    key,
    type: render(sub, ctx, depth + 1, key).text,
    required: required.has(key),
    doc: ctx.docs ? docOf(sub, ctx.maxDoc) : undefined,
  }));
  return prim(declareClass(ctx.scope, fields, { hint, name: claim?.name, doc: claim?.doc, bases }));
}

function renderIndex(s: Schema, ctx: Ctx, depth: number, hint: string): Rendered | undefined {
  const parts: Rendered[] = [];
  const extra = s['additionalProperties'];
  if (extra === true) parts.push(ANY);
  else if (isSchema(extra)) parts.push(render(extra, ctx, depth + 1, singular(hint)));
  const patterns = s['patternProperties'];
  if (isSchema(patterns)) for (const p of Object.values(patterns)) parts.push(render(p, ctx, depth + 1, singular(hint)));
  return parts.length > 0 ? union(parts) : undefined;
}

/** `list[X]`; a tuple is a list too (JSON arrays arrive as lists), of the union of its element types. */
function renderArray(s: Schema, outer: Ctx, depth: number, hint: string): Rendered {
  const ctx = nested(outer);
  const item = singular(hint);
  const prefix = Array.isArray(s['prefixItems']) ? s['prefixItems'] : Array.isArray(s['items']) ? s['items'] : undefined;
  if (!prefix) return prim(`list[${('items' in s ? render(s['items'], ctx, depth + 1, item) : ANY).text}]`);
  const elements = prefix.map((el) => render(el, ctx, depth + 1, item));
  const rest = Array.isArray(s['prefixItems']) ? s['items'] : s['additionalItems'];
  const max = typeof s['maxItems'] === 'number' ? s['maxItems'] : Infinity;
  if (rest !== undefined && rest !== false && max > prefix.length) elements.push(render(rest, ctx, depth + 1, item));
  return prim(`list[${union(elements).text}]`);
}

function renderRef(ref: string, ctx: Ctx, depth: number, hint: string): Rendered {
  const root = ctx.root;
  const target = root && ref.startsWith('#') ? resolvePointer(root, ref) : undefined;
  if (target === undefined || !root) return ANY;
  if (!ctx.inline || isRecursive(root, ref)) {
    const known = findRef(ctx.scope, root, ref);
    if (known !== undefined) return ctx.bare.includes(known) ? ANY : prim(known);
    // Reserved before rendering the body, so a reference back to it inside the body finds the name.
    const name = reserveRef(ctx.scope, root, ref);
    const doc = ctx.docs ? docOf(target, ctx.maxDoc) : undefined;
    const text = render(target, { ...ctx, expanding: [], bare: [...ctx.bare, name] }, 0, name, { name, doc }).text;
    if (text !== name) declareAlias(ctx.scope, name, text, doc);
    return prim(name);
  }
  if (ctx.expanding.includes(ref)) return ANY;
  const own = ref.split('/').pop();
  return render(target, { ...ctx, expanding: [...ctx.expanding, ref] }, depth + 1, own && own !== '#' ? own : hint);
}

/** A union of two or more literals by its name in the table, or as is (counted). Nullable parts stay outside. */
function hoisted(r: Rendered, ctx: Ctx, hint: string): Rendered {
  const table = ctx.literals;
  const part = r.lits ? r : r.members?.find((m) => m.lits);
  if (!table || !part?.lits || part.lits.length < 2) return r;
  const text = `Literal[${part.lits.join(', ')}]`;
  const name = table.names.get(text);
  if (name === undefined) {
    table.seen?.(text, hint);
    return r;
  }
  return r === part ? prim(name) : union([prim(name), ...(r.members ?? []).filter((m) => m !== part)]);
}

function renderLiterals(s: Schema, maxEnum: number): Rendered | undefined {
  const values = 'const' in s ? [s['const']] : s['enum'];
  if (!Array.isArray(values) || values.length === 0 || (values.length > maxEnum && !('const' in s))) return undefined;
  // `Literal[1.5]` is no valid type: fractional numbers say `float`.
  if (values.every((v) => typeof v === 'number' || v === null) && values.some((v) => !Number.isSafeInteger(v) && v !== null)) {
    return union(values.includes(null) ? [prim('float'), NONE] : [prim('float')]);
  }
  return literalUnion(values);
}

function literalUnion(values: readonly unknown[]): Rendered | undefined {
  const lits = values.filter((v) => v !== null).map(pyLiteral);
  if (lits.some((l) => l === undefined)) return undefined;
  const parts: Rendered[] = lits.length ? [{ text: `Literal[${lits.join(', ')}]`, lits: lits as string[] }] : [];
  return union(values.includes(null) ? [...parts, NONE] : parts);
}

/** The Python spelling of a JSON scalar usable in `Literal[...]`: strings, booleans, safe integers. */
function pyLiteral(value: unknown): string | undefined {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** `Literal["a", "b"] | str | None`: literals merged first, `None` last, `Any` absorbing. */
function union(nestedParts: readonly Rendered[]): Rendered {
  const parts = nestedParts.flatMap((p) => p.members ?? [p]);
  if (parts.some((p) => p.text === 'Any')) return ANY;
  const lits = [...new Set(parts.flatMap((p) => p.lits ?? []))];
  const others = [...new Set(parts.filter((p) => !p.lits && p.text !== 'Never' && p.text !== 'None').map((p) => p.text))];
  const none = parts.some((p) => p.text === 'None');
  const texts = [...(lits.length ? [`Literal[${lits.join(', ')}]`] : []), ...others, ...(none ? ['None'] : [])];
  if (texts.length === 0) return NEVER;
  if (texts.length === 1 && lits.length) return { text: texts[0] ?? 'Any', lits };
  if (texts.length === 1) return prim(texts[0] ?? 'Any');
  const members = [...(lits.length ? [{ text: '', lits }] : []), ...others.map(prim), ...(none ? [NONE] : [])];
  return { text: texts.join(' | '), members };
}

/** Python has no intersection: TypedDicts combine as one class deriving from each; otherwise the most telling part. */
function intersection(parts: readonly Rendered[], ctx: Ctx, hint: string, claim: Claim | undefined): Rendered {
  const kept = [...new Set(parts.filter((p) => p.text !== 'Any').map((p) => p.text))];
  if (kept.length === 0) return ANY;
  if (kept.length === 1) return parts.find((p) => p.text === kept[0]) ?? ANY;
  if (kept.every((t) => isBase(ctx, t))) return prim(declareClass(ctx.scope, [], { hint, name: claim?.name, doc: claim?.doc, bases: kept }));
  return prim(kept.find((t) => isTypedDict(ctx.scope, t)) ?? kept[0] ?? 'Any');
}

/** A TypedDict class already defined: class bases are evaluated at once, so a pending one cannot serve. */
function isBase(ctx: Ctx, text: string): boolean {
  return isTypedDict(ctx.scope, text) && !isPending(ctx.scope, text);
}

function withNullable(s: Schema, r: Rendered): Rendered {
  return s['nullable'] === true ? union([r, NONE]) : r;
}

function nested(ctx: Ctx): Ctx {
  return ctx.bare.length === 0 ? ctx : { ...ctx, bare: [] };
}

function hasProperties(s: Schema): boolean {
  return isSchema(s['properties']) && Object.keys(s['properties']).length > 0;
}

function docOf(sub: unknown, maxDoc: number): string | undefined {
  if (!isSchema(sub)) return undefined;
  const description = typeof sub['description'] === 'string' ? sub['description'].trim() : '';
  let fallback = '';
  if ('default' in sub) {
    const value = sub['default'];
    const json = typeof value === 'boolean' ? (value ? 'True' : 'False') : value === null ? 'None' : JSON.stringify(value);
    if (json !== undefined && json.length <= 40) fallback = `default: ${json}`;
  }
  const text = description && fallback ? `${description} (${fallback})` : description || fallback;
  return text ? toPyDocLine(text, maxDoc) : undefined;
}

function rawList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
