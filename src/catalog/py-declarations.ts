// Python declarations of the catalog, for programs written in Python: one documented signature for a
// search hit, or the whole catalog as a module of `class <namespace>:` blocks of async methods taking
// one dict (`await memory.read_graph({})`) with a one-line docstring, objects as TypedDicts. Pure; imported by catalog/ and,
// through its index, server/ and cli/. Tokens are the product: compact like the TypeScript rendering.

import { condenseDoc, DEFAULT_DOC_LINE_TOKENS } from './doc-line.js';
import {
  DEFAULT_DESCRIPTION_LENGTH, DEFAULT_SIGNATURE_DOC_LENGTH, DEFAULT_SIGNATURE_MAX_CHARS, FULL_FALLBACKS, hasRequired,
  type DeclarationsOptions, type FullShape, type SignatureOptions,
} from './declarations.js';
import type { JsonSchema, Operation } from './operation.js';
import { createPyScope, freshName, isPyIdentifier, pyDeclarations, toPyTypeName, type PyScope } from './py-scope.js';
import { schemaToPy, toPyDocLine, type LiteralTable, type SchemaToPyOptions } from './schema-to-py.js';

const TOOL_ERROR = 'class ToolError(Exception): code: str; message: str; data: Any';
const TYPING_NAMES = ['Any', 'Literal', 'Never', 'NotRequired', 'Required', 'TypeAlias', 'TypedDict'];
const INDENT = '    ';

/** The documented signature of one operation for a search hit at `full`: its classes, its doc, the call. */
export function renderPySignature(op: Operation, options: SignatureOptions = {}): string {
  const maxDoc = options.maxDocLength ?? DEFAULT_SIGNATURE_DOC_LENGTH;
  const budget = options.maxChars ?? DEFAULT_SIGNATURE_MAX_CHARS;
  let text = '';
  // Past the budget: drop the result's docs, then the arguments', then cut deep nesting to `Any`.
  for (const shape of FULL_FALLBACKS) {
    text = renderFull(op, maxDoc, options.maxDescriptionLength ?? DEFAULT_DESCRIPTION_LENGTH, shape);
    if (text.length <= budget) break;
  }
  return text;
}

function renderFull(op: Operation, maxDoc: number, maxDescription: number, shape: FullShape): string {
  const scope = createPyScope([op.namespace]);
  const depth = (d: number | undefined) => (d === undefined ? {} : { maxDepth: d });
  const base = toPyTypeName(op.name);
  const args = renderArgs(op.inputSchema, { scope, docs: shape.argDocs, maxDocLength: maxDoc, hint: `${base}Args`, ...depth(shape.argDepth) });
  const result = renderResult(op, { scope, docs: shape.resultDocs, maxDocLength: maxDoc, ...depth(shape.resultDepth) });
  const route = op.method && op.path ? `${op.method} ${op.path}\n` : '';
  return [
    ...pyDeclarations(scope).map((d) => d.text),
    ...docBlock(`${route}${op.description}`, maxDescription),
    `async def ${op.namespace}.${pyName(op.name)}(${args}) -> ${result}${callNote(op.name, op.namespace)}`,
  ].join('\n');
}

/**
 * The whole catalog as one Python module: the typing imports it uses, the `ToolError` a failing
 * call raises, and a class per upstream holding its TypedDicts and one async method per operation
 * with a doc line as its docstring. `from __future__ import annotations` lets a class name one declared after it.
 */
export function renderPyDeclarations(ops: readonly Operation[], options: DeclarationsOptions = {}): string {
  const maxDoc = options.maxDocTokens ?? DEFAULT_DOC_LINE_TOKENS;
  const byNamespace = new Map<string, Operation[]>();
  for (const op of ops) {
    const list = byNamespace.get(op.namespace);
    if (list) list.push(op);
    else byNamespace.set(op.namespace, [op]);
  }
  const blocks = [...byNamespace].map(([namespace, members]) => renderNamespace(namespace, members, maxDoc));
  const body = [TOOL_ERROR, ...blocks].join('\n');
  const used = TYPING_NAMES.filter((name) => new RegExp(`\\b${name}\\b`).test(body));
  return `from __future__ import annotations\nfrom typing import ${used.join(', ')}\n${body}\n`;
}

/**
 * One `class <namespace>:` block. Renders it once counting the enums that recur, then again with
 * an alias for each that pays for its line (`Theme = Literal["default", "academy", "dark"]`).
 */
function renderNamespace(namespace: string, members: readonly Operation[], maxDoc: number): string {
  const aliases = new Map<string, string>(); // Literal[...] text -> alias
  const head = `class ${pyName(namespace)}:${isPyIdentifier(namespace) ? '' : `  # the global "${namespace}": globals()["${namespace}"]`}`;
  for (;;) {
    const seen = new Map<string, { count: number; hint: string }>();
    const literals: LiteralTable = {
      names: aliases,
      seen: (literal, hint) => {
        const entry = seen.get(literal);
        if (entry) entry.count++;
        else seen.set(literal, { count: 1, hint });
      },
    };
    const scope = createPyScope([pyName(namespace), ...members.map((op) => pyName(op.name)), ...aliases.values()]);
    const methods = members.map((op) => renderMethod(op, scope, maxDoc, literals));
    const fresh = aliases.size === 0 ? pickAliases(seen, scope) : [];
    if (fresh.length === 0) {
      const named = [...aliases].map(([literal, name]) => `${name} = ${literal}`);
      return [head, ...[...named, ...pyDeclarations(scope).map((d) => d.text)].map(indent), ...methods].join('\n');
    }
    for (const [literal, name] of fresh) aliases.set(literal, name);
  }
}

/** The recurring enums worth an alias line, each with a fresh name from its key. */
function pickAliases(seen: ReadonlyMap<string, { count: number; hint: string }>, scope: PyScope): [string, string][] {
  // Characters stand in for tokens: an alias costs its literal plus about a dozen characters.
  const worth = [...seen].filter(([literal, { count }]) => count >= 2 && count * (literal.length - 8) > literal.length + 16);
  return worth.map(([literal, { hint }]) => [literal, freshName(scope, hint)]);
}

function renderMethod(op: Operation, scope: PyScope, maxDocTokens: number, literals: LiteralTable): string {
  const base = toPyTypeName(op.name);
  const args = renderArgs(op.inputSchema, { scope, refs: 'name', hint: `${base}Args`, literals });
  const result = renderResult(op, { scope, refs: 'name', literals });
  const doc = maxDocTokens > 0 ? pyComment(condenseDoc(op.description, maxDocTokens)) : '';
  // No annotation says what `-> Any` would, in fewer tokens. The doc line is the body: a docstring
  // (a JSON string is a valid Python one) costs less than a comment line above plus `...`.
  const body = doc ? JSON.stringify(doc) : '...';
  return `${INDENT}async def ${pyName(op.name)}(${args})${result === 'Any' ? '' : ` -> ${result}`}: ${body}${callNote(op.name, op.namespace)}`;
}

/** `args: SearchNodesArgs`, or `args: ReadGraphArgs = {}` when nothing is required. */
function renderArgs(schema: JsonSchema, options: SchemaToPyOptions): string {
  return `args: ${schemaToPy(schema, options)}${hasRequired(schema) ? '' : ' = {}'}`;
}

/**
 * The result type of `op`, `Any` when undeclared. A type learned from results (not declared) is
 * declared by its own name under its mark, `# inferred from 3 calls`.
 */
function renderResult(op: Operation, options: Omit<SchemaToPyOptions, 'hint'>): string {
  if (!op.outputSchema) return 'Any';
  const name = `${toPyTypeName(op.name)}Result`;
  if (!op.inferred) return schemaToPy(op.outputSchema, { ...options, hint: name });
  const calls = op.inferred.calls;
  return schemaToPy(op.outputSchema, { ...options, hint: name, name: freshName(options.scope, name), doc: `inferred from ${calls} call${calls === 1 ? '' : 's'}` });
}

/** A tool or namespace name as Python can write it: `from` -> `from_`, `a$b` -> `a_b` (see callNote). */
function pyName(name: string): string {
  if (isPyIdentifier(name)) return name;
  const id = name.replace(/[^A-Za-z0-9_]/g, '_');
  return isPyIdentifier(id) ? id : `${id}_`;
}

/** How to reach a name Python cannot write as an attribute: `getattr(memory, "from")`. */
function callNote(name: string, namespace: string): string {
  return isPyIdentifier(name) ? '' : `  # call as getattr(${pyName(namespace)}, ${JSON.stringify(name)})(args)`;
}

function pyComment(text: string): string {
  return toPyDocLine(text, Number.MAX_SAFE_INTEGER);
}

function indent(text: string): string {
  return text.split('\n').map((line) => `${INDENT}${line}`).join('\n');
}

function docBlock(description: string, maxLength: number): string[] {
  const text = description.trim();
  if (!text) return [];
  const cut = text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
  const lines = cut.split(/\r?\n/).map((l) => toPyDocLine(l, Number.MAX_SAFE_INTEGER));
  const kept = lines.filter((l, i) => l !== '' || (lines[i - 1] ?? '') !== '');
  return kept.map((l) => (l ? `# ${l}` : '#'));
}
