// Renders a JSON Schema (draft-07, 2020-12, OpenAPI 3.0/3.1) as a compact TypeScript type expression.
// Pure except for the TypeScope a caller passes to collect named ($ref) types. Imported by catalog/ only.
// Never throws: whatever it cannot express becomes `unknown`. Over 300 lines: one recursive renderer
// whose keyword cases share its context; the $ref naming and resolution live in type-scope.ts.

import type { JsonSchema as Schema } from './operation.js';
import {
  defineNamed, findNamed, isRecursive, pendingNames, reserveNamed, resolvePointer, type TypeScope,
} from './type-scope.js';

export interface SchemaToTsOptions {
  /** The document local `$ref`s point into (an OpenAPI spec, say); defaults to the schema itself. */
  readonly root?: unknown;
  /** Where named types go. Without one, a recursive `$ref` renders as `unknown` at the cycle. */
  readonly scope?: TypeScope;
  /**
   * 'name': every local `$ref` renders as a named type declared in the scope (the author named it,
   * and OpenAPI components are reused across operations). 'inline' (default): a `$ref` is expanded
   * in place unless it is recursive, so a lone signature reads without a table of types.
   */
  readonly refs?: 'name' | 'inline';
  /** JSDoc `/** … *\/` above each property that has a description (objects then span lines). */
  readonly docs?: boolean;
  readonly maxDocLength?: number;
  /** Longer enums render as their base type: a union of hundreds of literals costs more than it tells. */
  readonly maxEnumValues?: number;
  /** Nesting depth past which a schema renders as `unknown` (at most 16): bounds a huge type. */
  readonly maxDepth?: number;
  /** Indentation of the line the type starts on, for multi-line (docs) output. */
  readonly indent?: string;
  /** Repeated object shapes to render by name; see `ShapeTable`. */
  readonly shapes?: ShapeTable;
  /** Naming hint for the root literal (`getIssueArgs`), so a shape table may hoist it too. */
  readonly hint?: string;
}

/**
 * Lets a caller hoist literals that recur (memory's entity, six times in one upstream; a chart
 * theme's `"default" | "academy" | "dark"`) into one named type. `names` maps a single-line object
 * literal or union of literals, exactly as rendered, to the name to print instead; `seen` hears of
 * every such literal that has a naming hint (its property key, singular for array items; the
 * caller's `hint` at the root), so a first rendering can count them. No hint: never hoisted.
 */
export interface ShapeTable {
  readonly names: ReadonlyMap<string, string>;
  readonly seen?: (literal: string, hint: string) => void;
}

const DEFAULT_MAX_DOC_LENGTH = 120;
const DEFAULT_MAX_ENUM_VALUES = 64;
// Bounds inline expansion of non-recursive refs (a DAG of refs can grow exponentially) and odd nesting.
const MAX_DEPTH = 16;

/** Renders `schema` as a TypeScript type expression; `unknown` for anything it cannot express. */
export function schemaToTs(schema: unknown, options: SchemaToTsOptions = {}): string {
  const ctx: Ctx = {
    root: isSchema(options.root) ? options.root : isSchema(schema) ? schema : undefined,
    scope: options.scope,
    inline: options.refs !== 'name',
    docs: options.docs === true,
    maxDoc: options.maxDocLength ?? DEFAULT_MAX_DOC_LENGTH,
    maxEnum: options.maxEnumValues ?? DEFAULT_MAX_ENUM_VALUES,
    maxDepth: Math.min(options.maxDepth ?? MAX_DEPTH, MAX_DEPTH),
    baseIndent: options.indent ?? '',
    shapes: options.shapes,
    expanding: [],
    bare: [],
  };
  try {
    return render(schema, ctx, 0, ctx.baseIndent, options.hint ?? '').text;
  } catch {
    return 'unknown'; // a throwing getter or a pathological document: degrade, never fail a listing
  }
}

/** One trimmed line for a JSDoc comment: whitespace collapsed, cut at a word, `*\/` escaped. */
export function toDocLine(text: string, maxLength: number = DEFAULT_MAX_DOC_LENGTH): string {
  let line = text.replace(/\s+/g, ' ').trim();
  if (line.length > maxLength) {
    const cut = line.slice(0, Math.max(1, maxLength - 1));
    const space = line[cut.length] === ' ' ? cut.length : cut.lastIndexOf(' ');
    line = `${(space > maxLength * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
  }
  return line.replace(/\*\//g, '*\\/');
}

interface Ctx {
  readonly root: Schema | undefined;
  readonly scope: TypeScope | undefined;
  readonly inline: boolean;
  readonly docs: boolean;
  readonly maxDoc: number;
  readonly maxEnum: number;
  readonly maxDepth: number;
  readonly baseIndent: string;
  readonly shapes: ShapeTable | undefined;
  /** Refs being expanded inline on the current path, to stop a cycle when there is no scope. */
  readonly expanding: readonly string[];
  /**
   * Named types whose body this position is the bare top of (not inside an object, array or tuple).
   * Referring to one of them here would make `type A = A | B`, which TypeScript rejects as circular.
   */
  readonly bare: readonly string[];
}

// Precedence of the outermost operator, to parenthesize only where TypeScript needs it.
const UNION = 0;
const INTERSECTION = 1;
const PRIMARY = 2;
interface Rendered {
  readonly text: string;
  readonly prec: number;
}
const prim = (text: string): Rendered => ({ text, prec: PRIMARY });
const UNKNOWN = prim('unknown');
const NEVER = prim('never');
const NULL = prim('null');

function render(s: unknown, ctx: Ctx, depth: number, indent: string, hint = ''): Rendered {
  if (s === false) return NEVER;
  if (!isSchema(s) || depth > ctx.maxDepth) return UNKNOWN;
  if (typeof s['$ref'] === 'string') return renderRef(s['$ref'], ctx, depth, indent);
  const literals = renderLiterals(s, ctx.maxEnum);
  if (literals) return withNullable(s, literals.prec === UNION ? hoisted(literals, ctx, hint) : literals);

  let host: Schema = s;
  let allOf = rawList(s['allOf']);
  const merged = mergeAllOf(s, allOf);
  if (merged) ({ host, rest: allOf } = merged);
  const alternatives = [rawList(s['oneOf']), rawList(s['anyOf'])].filter((l) => l.length > 0);
  const combined = allOf.length > 0 || alternatives.length > 0;

  const members: Rendered[] = [];
  const base = renderTypeKeyword(host, ctx, depth, indent, combined, hint);
  if (base) members.push(base);
  for (const list of alternatives) members.push(union(list.map((a) => render(a, ctx, depth + 1, indent, hint))));
  for (const m of allOf) members.push(render(m, ctx, depth + 1, indent, hint));
  return withNullable(s, intersection(members));
}

function renderTypeKeyword(s: Schema, ctx: Ctx, depth: number, indent: string, combined: boolean, hint: string): Rendered | undefined {
  const t = s['type'];
  const types = typeof t === 'string' ? [t] : Array.isArray(t) ? t.filter(isString) : inferTypes(s);
  const parts: Rendered[] = [];
  for (const type of types) {
    const part = renderType(type, s, ctx, depth, indent, combined, hint);
    if (part) parts.push(part);
  }
  return parts.length > 0 ? union(parts) : undefined;
}

function inferTypes(s: Schema): string[] {
  if ('properties' in s || 'additionalProperties' in s || 'patternProperties' in s) return ['object'];
  if ('items' in s || 'prefixItems' in s) return ['array'];
  return [];
}

function renderType(type: string, s: Schema, ctx: Ctx, depth: number, indent: string, combined: boolean, hint: string): Rendered | undefined {
  switch (type) {
    case 'string': return prim('string');
    case 'number': case 'integer': return prim('number');
    case 'boolean': return prim('boolean');
    case 'null': return NULL;
    case 'object': return renderObject(s, ctx, depth, indent, combined, hint);
    case 'array': return renderArray(s, ctx, depth, indent, hint);
    default: return UNKNOWN;
  }
}

function renderObject(s: Schema, ctx: Ctx, depth: number, indent: string, combined: boolean, hint: string): Rendered | undefined {
  const props = isSchema(s['properties']) ? Object.entries(s['properties']) : undefined;
  const index = renderIndex(s, nested(ctx), depth, indent);
  if (!props || props.length === 0) {
    if (index) return prim(mapOf(index.text, ctx));
    // A bare `type: object` beside oneOf/allOf says nothing the alternatives don't.
    if (combined) return undefined;
    return prim(props || s['additionalProperties'] === false ? '{}' : 'Record<string, unknown>');
  }
  const required = new Set(Array.isArray(s['required']) ? s['required'].filter(isString) : []);
  const docs = props.map(([, sub]) => (ctx.docs ? docOf(sub, ctx.maxDoc) : undefined));
  const inner = `${indent}  `;
  // Rendered one level in; a child without line breaks reads the same at any indentation.
  const child = nested(ctx);
  const types = props.map(([key, sub]) => render(sub, child, depth + 1, inner, key).text);
  const members = props.map(([key], i) => `${propertyKey(key)}${required.has(key) ? '' : '?'}: ${types[i]}`);
  if (index?.text === 'unknown') members.push('[key: string]: unknown');
  const multiline = docs.some((d) => d !== undefined) || types.some((t) => t.includes('\n'));
  let body = multiline
    ? `{\n${members.map((m, i) => `${docs[i] ? `${inner}/** ${docs[i]} */\n` : ''}${inner}${m};`).join('\n')}\n${indent}}`
    : `{ ${members.join('; ')} }`;
  if (!multiline) body = hoisted(prim(body), ctx, hint).text;
  // An index signature must admit every property's type; an intersection carries no such check.
  if (index && index.text !== 'unknown') return intersection([prim(body), prim(mapOf(index.text, ctx))]);
  return prim(body);
}

function renderIndex(s: Schema, ctx: Ctx, depth: number, indent: string): Rendered | undefined {
  const parts: Rendered[] = [];
  const extra = s['additionalProperties'];
  if (extra === true) parts.push(UNKNOWN);
  else if (isSchema(extra)) parts.push(render(extra, ctx, depth + 1, indent));
  const patterns = s['patternProperties'];
  if (isSchema(patterns)) for (const p of Object.values(patterns)) parts.push(render(p, ctx, depth + 1, indent));
  return parts.length > 0 ? union(parts) : undefined;
}

function renderArray(s: Schema, outer: Ctx, depth: number, indent: string, hint: string): Rendered {
  const ctx = nested(outer);
  const prefix = Array.isArray(s['prefixItems']) ? s['prefixItems'] : Array.isArray(s['items']) ? s['items'] : undefined;
  if (!prefix) {
    const items = 'items' in s ? render(s['items'], ctx, depth + 1, indent, singular(hint)) : UNKNOWN;
    return prim(`${paren(items, PRIMARY)}[]`);
  }
  const min = typeof s['minItems'] === 'number' ? s['minItems'] : prefix.length;
  const elements = prefix.map((item, i) => {
    const el = render(item, ctx, depth + 1, indent, singular(hint));
    return i < min ? el.text : `${paren(el, PRIMARY)}?`;
  });
  const rest = Array.isArray(s['prefixItems']) ? s['items'] : s['additionalItems'];
  const max = typeof s['maxItems'] === 'number' ? s['maxItems'] : Infinity;
  // Rest unspecified is open in JSON Schema, but authors who list items mean a tuple: render it closed.
  if (rest !== undefined && rest !== false && max > prefix.length) {
    elements.push(`...${paren(render(rest, ctx, depth + 1, indent), PRIMARY)}[]`);
  }
  return prim(`[${elements.join(', ')}]`);
}

/** `text` by its name in the shape table, or as is (counted, when it has a naming hint). */
function hoisted(literal: Rendered, ctx: Ctx, hint: string): Rendered {
  if (!ctx.shapes || !hint) return literal;
  const name = ctx.shapes.names.get(literal.text);
  if (name !== undefined) return prim(name);
  ctx.shapes.seen?.(literal.text, hint);
  return literal;
}

/** The context for a value nested in an object or array, where a named type may refer back to itself. */
function nested(ctx: Ctx): Ctx {
  return ctx.bare.length === 0 ? ctx : { ...ctx, bare: [] };
}

/** `Record<string, T>`, unless T names a type still being declared: TypeScript expands the alias eagerly and calls that circular. */
function mapOf(value: string, ctx: Ctx): string {
  const pending = ctx.scope ? [...pendingNames(ctx.scope)] : [];
  const mentions = (name: string) => new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(value);
  const circular = pending.some(mentions);
  return circular ? `{ [key: string]: ${value} }` : `Record<string, ${value}>`;
}

function renderLiterals(s: Schema, maxEnum: number): Rendered | undefined {
  if ('const' in s) {
    const lit = literal(s['const']);
    return lit === undefined ? undefined : prim(lit);
  }
  const values = s['enum'];
  if (!Array.isArray(values) || values.length === 0 || values.length > maxEnum) return undefined;
  const lits = values.map(literal);
  if (lits.some((l) => l === undefined)) return undefined;
  return union(lits.map((l) => prim(l ?? 'unknown')));
}

function literal(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Folds plain object members of `allOf` (and the host's own properties) into one object literal. */
export function mergeAllOf(s: Schema, allOf: readonly unknown[]): { host: Schema; rest: unknown[] } | undefined {
  const plain = allOf.filter((m): m is Schema => isSchema(m) && isPlainObject(m));
  const pieces = isSchema(s['properties']) ? [s, ...plain] : plain;
  if (plain.length === 0 || pieces.length < 2) return undefined;
  const properties: Record<string, unknown> = {};
  const required: unknown[] = [];
  for (const piece of pieces) {
    for (const [key, sub] of Object.entries(piece['properties'] as Schema)) {
      if (key in properties) return undefined; // the same key twice means an intersection, not a merge
      properties[key] = sub;
    }
    if (Array.isArray(piece['required'])) required.push(...piece['required']);
  }
  const host = { ...s, type: 'object', properties, required };
  return { host, rest: allOf.filter((m) => !(plain as unknown[]).includes(m)) };
}

function isPlainObject(s: Schema): boolean {
  const combinators = ['$ref', 'allOf', 'anyOf', 'oneOf', 'enum', 'const', 'patternProperties', 'nullable'];
  if (combinators.some((k) => k in s) || !isSchema(s['properties'])) return false;
  const extra = s['additionalProperties'];
  return (s['type'] === undefined || s['type'] === 'object') && (extra === undefined || extra === false);
}

function renderRef(ref: string, ctx: Ctx, depth: number, indent: string): Rendered {
  const target = ctx.root && ref.startsWith('#') ? resolvePointer(ctx.root, ref) : undefined;
  if (target === undefined || !ctx.root) return UNKNOWN;
  if (ctx.scope && (!ctx.inline || isRecursive(ctx.root, ref))) {
    const name = declareNamed(ctx.scope, ctx, ctx.root, ref, target);
    return ctx.bare.includes(name) ? UNKNOWN : prim(name);
  }
  if (ctx.expanding.includes(ref)) return UNKNOWN; // a cycle, and no scope to name it in
  return render(target, { ...ctx, expanding: [...ctx.expanding, ref] }, depth + 1, indent);
}

function declareNamed(scope: TypeScope, ctx: Ctx, root: Schema, ref: string, target: unknown): string {
  const known = findNamed(scope, root, ref);
  if (known !== undefined) return known;
  // Reserved before rendering the body, so a reference back to it inside the body finds the name.
  const name = reserveNamed(scope, root, ref);
  const type = render(target, { ...ctx, expanding: [], bare: [...ctx.bare, name] }, 0, ctx.baseIndent).text;
  defineNamed(scope, name, type, ctx.docs ? docOf(target, ctx.maxDoc) : undefined);
  return name;
}

/** `entities` -> `entity`: what one item of an array under that key would be called. */
export function singular(word: string): string {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(x|ch|sh|sses)es$/.test(word)) return word.slice(0, -2);
  return word.replace(/s$/, '');
}

function docOf(sub: unknown, maxDoc: number): string | undefined {
  if (!isSchema(sub)) return undefined;
  const description = typeof sub['description'] === 'string' ? sub['description'].trim() : '';
  let fallback = '';
  if ('default' in sub) {
    const json = JSON.stringify(sub['default']);
    if (json !== undefined && json.length <= 40) fallback = `default: ${json}`;
  }
  const text = description && fallback ? `${description} (${fallback})` : description || fallback;
  return text ? toDocLine(text, maxDoc) : undefined;
}

function union(parts: readonly Rendered[]): Rendered {
  if (parts.some((p) => p.text === 'unknown')) return UNKNOWN;
  const texts = [...new Set(parts.filter((p) => p.text !== 'never').map((p) => p.text))];
  if (texts.length === 0) return NEVER;
  if (texts.length === 1) return parts.find((p) => p.text === texts[0]) ?? UNKNOWN;
  return { text: texts.join(' | '), prec: UNION };
}

function intersection(parts: readonly Rendered[]): Rendered {
  const kept = parts.filter((p) => p.text !== 'unknown');
  const texts = [...new Set(kept.map((p) => paren(p, INTERSECTION)))];
  if (texts.length === 0) return UNKNOWN;
  if (texts.length === 1) return kept[0] ?? UNKNOWN;
  return { text: texts.join(' & '), prec: INTERSECTION };
}

function withNullable(s: Schema, r: Rendered): Rendered {
  return s['nullable'] === true ? union([r, NULL]) : r;
}

function paren(r: Rendered, atLeast: number): string {
  return r.prec < atLeast ? `(${r.text})` : r.text;
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
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
