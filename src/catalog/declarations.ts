// TypeScript declarations of the catalog: one signature for a search hit, or the whole catalog as a
// .d.ts of `declare namespace` blocks (what `cemcp types` prints and `execute` may carry). Pure;
// imported by catalog/ and, through its index, server/ and cli/. Tokens are the product: keep it compact.

import { condenseDoc, DEFAULT_DOC_LINE_TOKENS } from './doc-line.js';
import type { JsonSchema, Operation } from './operation.js';
import { schemaToTs, toDocLine, type SchemaToTsOptions, type ShapeTable } from './schema-to-ts.js';
import { createTypeScope, declareType, namedTypes, toTypeName, type NamedType, type TypeScope } from './type-scope.js';

export type SignatureDetail = 'name' | 'summary' | 'full';

export interface SignatureOptions {
  /** Characters of the description a `full` signature keeps. */
  readonly maxDescriptionLength?: number;
  /** Characters of each one-line doc (the `summary` line, parameter docs). */
  readonly maxDocLength?: number;
  /** Characters a `full` signature aims to fit (docs dropped, then deep nesting cut, past it). */
  readonly maxChars?: number;
}

export interface DeclarationsOptions {
  /** Tokens of the doc line above each function (a condensed first sentence; see doc-line.ts); 0: no doc lines. */
  readonly maxDocTokens?: number;
  /** Declare object shapes that recur within an upstream once, by name (default true). */
  readonly hoistShapes?: boolean;
}

export const DEFAULT_DESCRIPTION_LENGTH = 600;
export const DEFAULT_SIGNATURE_DOC_LENGTH = 160;
export const DEFAULT_SIGNATURE_MAX_CHARS = 6_000;
const SUMMARY_MAX_ARG_CHARS = 1_200;
const DEFAULT_DECLARATION_DOC_LENGTH = 100;
const TOOL_ERROR = 'declare class ToolError extends Error { code: string; data?: unknown }';
// Each pass can name shapes one nesting level further out; real schemas settle in two or three.
const MAX_HOIST_PASSES = 4;

/** How one operation reads in a search hit, from just its call name up to a documented signature. */
export function renderSignature(op: Operation, detail: SignatureDetail, options: SignatureOptions = {}): string {
  if (detail === 'name') return op.callName;
  const maxDoc = options.maxDocLength ?? DEFAULT_SIGNATURE_DOC_LENGTH;
  if (detail === 'summary') {
    // A summary is read, not compiled: names of recursive types may stand undeclared.
    let args = renderArgs(op.inputSchema, { scope: createTypeScope() });
    // One line per hit: a huge request body keeps its top levels only.
    if (args.length > SUMMARY_MAX_ARG_CHARS) args = renderArgs(op.inputSchema, { scope: createTypeScope(), maxDepth: 3 });
    const doc = firstSentence(op.description, maxDoc);
    return `${op.callName}(${args})${doc ? ` // ${doc}` : ''}`;
  }
  // A large API's types can run to thousands of lines (a union of 20 DNS record shapes): past the
  // budget, drop the docs of the result, then of the arguments, then cut deep nesting to `unknown`.
  const budget = options.maxChars ?? DEFAULT_SIGNATURE_MAX_CHARS;
  let text = '';
  for (const shape of FULL_FALLBACKS) {
    text = renderFull(op, maxDoc, options.maxDescriptionLength ?? DEFAULT_DESCRIPTION_LENGTH, shape);
    if (text.length <= budget) break;
  }
  return text;
}

export interface FullShape {
  readonly argDocs: boolean;
  readonly resultDocs: boolean;
  readonly argDepth?: number;
  readonly resultDepth?: number;
}
export const FULL_FALLBACKS: readonly FullShape[] = [
  { argDocs: true, resultDocs: true },
  { argDocs: true, resultDocs: false },
  { argDocs: true, resultDocs: false, resultDepth: 4 },
  { argDocs: false, resultDocs: false, argDepth: 4, resultDepth: 2 },
];

function renderFull(op: Operation, maxDoc: number, maxDescription: number, shape: FullShape): string {
  const scope = createTypeScope();
  const depth = (d: number | undefined) => (d === undefined ? {} : { maxDepth: d });
  const args = renderArgs(op.inputSchema, { scope, docs: shape.argDocs, maxDocLength: maxDoc, ...depth(shape.argDepth) });
  const result = resultType(op, { scope, docs: shape.resultDocs, maxDocLength: maxDoc, ...depth(shape.resultDepth) }, scope);
  const lines = [
    ...namedTypes(scope).map((t) => renderNamedType(t, '')),
    // An OpenAPI operation's route leads its doc: `GET /zones/{zone_id}/dns_records`.
    ...docBlock(op.method && op.path ? `${op.method} ${op.path}\n${op.description}` : op.description, maxDescription),
    `${op.callName}(${args}): Promise<${result}>`,
  ];
  return lines.join('\n');
}

/**
 * The whole catalog as one .d.ts: a `declare namespace` per upstream with a doc line and a function
 * per operation, named types declared once inside their namespace (so upstreams never clash), and
 * the `ToolError` a failing call throws.
 */
export function renderDeclarations(ops: readonly Operation[], options: DeclarationsOptions = {}): string {
  const maxDoc = options.maxDocTokens ?? DEFAULT_DOC_LINE_TOKENS;
  const byNamespace = new Map<string, Operation[]>();
  for (const op of ops) {
    const list = byNamespace.get(op.namespace);
    if (list) list.push(op);
    else byNamespace.set(op.namespace, [op]);
  }
  const blocks = [...byNamespace].map(([namespace, members]) =>
    renderNamespace(namespace, members, maxDoc, options.hoistShapes !== false));
  return `${[...blocks, TOOL_ERROR].join('\n')}\n`;
}

/**
 * One `declare namespace` block. With hoisting, renders the block, names the object literals that
 * recur often enough to pay for a declaration, and renders again with those names, until no new
 * shape qualifies. Only innermost candidates are named per pass: naming one changes the text of any
 * literal around it, which the next pass then counts afresh.
 */
function renderNamespace(namespace: string, members: readonly Operation[], maxDoc: number, hoist: boolean): string {
  const shapes = new Map<string, string>(); // literal text -> type name, in order of naming
  for (let pass = 1; ; pass++) {
    const seen = new Map<string, { count: number; hint: string }>();
    const table: ShapeTable = {
      names: shapes,
      seen: (literal, hint) => {
        const entry = seen.get(literal);
        if (entry) entry.count++;
        else seen.set(literal, { count: 1, hint });
      },
    };
    const scope = createTypeScope(shapes.values());
    const functions = members.map((op) => renderFunction(op, scope, maxDoc, hoist ? table : undefined));
    const named = namedTypes(scope);
    const fresh = hoist && pass < MAX_HOIST_PASSES ? pickShapes(seen, [...shapes.values(), ...named.map((t) => t.name)]) : [];
    if (fresh.length === 0) {
      const types = [...[...shapes].map(([type, name]) => ({ name, type })), ...named];
      return [`declare namespace ${namespace} {`, ...types.map((t) => renderNamedType(t, '  ')), ...functions, '}'].join('\n');
    }
    for (const [literal, name] of fresh) shapes.set(literal, name);
  }
}

/** The recurring literals worth a `type X = …;` line, innermost first, each with a fresh name. */
function pickShapes(seen: ReadonlyMap<string, { count: number; hint: string }>, taken: readonly string[]): [string, string][] {
  // Characters stand in for tokens: a declaration costs its literal plus about a dozen characters.
  const worth = [...seen].filter(([literal, { count }]) => count >= 2 && count * (literal.length - 8) > literal.length + 16);
  const innermost = worth.filter(([literal]) => !worth.some(([other]) => other !== literal && literal.includes(other)));
  const used = new Set(taken);
  return innermost.map(([literal, { hint }]) => {
    const base = toTypeName(hint);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}${n}`;
    used.add(name);
    return [literal, name];
  });
}

/** The first sentence of a description, on one line, without its closing period. */
export function firstSentence(description: string, maxLength: number = DEFAULT_DECLARATION_DOC_LENGTH): string {
  const text = description.replace(/\s+/g, ' ').trim();
  // A sentence ends at . ! ? followed by a capital, digit or quote; `e.g. foo` does not end one.
  const match = /^(.+?[.!?])(?=\s+[A-Z0-9"'`(\[]|$)/.exec(text);
  const sentence = (match?.[1] ?? text).replace(/\.$/, '');
  return toDocLine(sentence, maxLength);
}

function renderFunction(op: Operation, scope: TypeScope, maxDocTokens: number, shapes: ShapeTable | undefined): string {
  const options: SchemaToTsOptions = shapes ? { scope, refs: 'name', shapes } : { scope, refs: 'name' };
  // The whole argument or result object may recur too (five pull-request getters take one shape).
  const base = camelName(op);
  const args = renderArgs(op.inputSchema, { ...options, hint: `${base}Args` });
  // An inferred result is declared by name anyway (to carry its mark): its literal is not hoisted.
  const result = resultType(op, op.inferred ? options : { ...options, hint: `${base}Result` }, scope);
  const doc = maxDocTokens > 0 ? condenseDoc(op.description, maxDocTokens) : '';
  return `${doc ? `  /** ${doc} */\n` : ''}  function ${op.name}(${args}): Promise<${result}>;`;
}

/** get_issue -> getIssue */
function camelName(op: Operation): string {
  return op.name.replace(/[_$]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The result type of `op`. A type learned from results (not declared) is declared by name in
 * `scope` under its mark, `/** inferred from 3 calls *\/`, so the reader knows where it comes from.
 */
function resultType(op: Operation, options: SchemaToTsOptions, scope: TypeScope): string {
  const text = renderResult(op.outputSchema, options);
  if (!op.inferred || text === 'unknown') return text;
  const calls = op.inferred.calls;
  return declareType(scope, `${camelName(op)}Result`, text, `inferred from ${calls} call${calls === 1 ? '' : 's'}`);
}

function renderArgs(schema: JsonSchema, options: SchemaToTsOptions): string {
  return `args${hasRequired(schema) ? '' : '?'}: ${schemaToTs(schema, options)}`;
}

function renderResult(schema: JsonSchema | undefined, options: SchemaToTsOptions): string {
  return schema ? schemaToTs(schema, options) : 'unknown';
}

/** Whether a program must pass an argument object: something is required or the schema is not a plain object. */
export function hasRequired(schema: JsonSchema): boolean {
  if (Array.isArray(schema['required']) && schema['required'].length > 0) return true;
  return ['$ref', 'allOf', 'anyOf', 'oneOf'].some((k) => k in schema);
}

function renderNamedType(t: NamedType, indent: string): string {
  const doc = t.doc ? `${indent}/** ${t.doc} */\n` : '';
  return `${doc}${indent}type ${t.name} = ${t.type};`;
}

function docBlock(description: string, maxLength: number): string[] {
  const text = description.trim();
  if (!text) return [];
  const cut = text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
  const lines = cut.split(/\r?\n/).map((l) => l.trim().replace(/\*\//g, '*\\/'));
  const kept = lines.filter((l, i) => l !== '' || (lines[i - 1] ?? '') !== '');
  if (kept.length === 1) return [`/** ${kept[0]} */`];
  return ['/**', ...kept.map((l) => (l ? ` * ${l}` : ' *')), ' */'];
}
