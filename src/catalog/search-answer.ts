// The text of a search answer: by default the best hit's documented signature and one short line
// per other hit (`ns.op({ zone_id: string, name?, …3 more }) // List DNS records`), so a model
// can write the call without paying for every schema; `full` documents every hit, `summary`
// lines them all, `name` names them. Also the browse listings (servers, tags, a tag's operations).
// Pure; imported through catalog/index.ts by server/ and cli/.
import type { JsonSchema, Operation } from './operation.js';
import { firstSentence, renderSignature, type SignatureDetail, type SignatureOptions } from './declarations.js';
import { renderPySignature } from './py-declarations.js';
import { createPyScope, pyDeclarations } from './py-scope.js';
import { schemaToPy } from './schema-to-py.js';
import { schemaToTs } from './schema-to-ts.js';
import { createTypeScope } from './type-scope.js';
import { stripTags } from './search/text.js';

export type AnswerDetail = SignatureDetail | 'auto';
/** The language a program is written in; JavaScript programs read TypeScript signatures. */
export type SignatureLanguage = 'javascript' | 'typescript' | 'python';

// The best hit in an `auto` answer: arguments documented, a shallow result, bounded in characters.
const LEAD_MAX_CHARS = 1_200;
const LINE_DOC_CHARS = 70;
const LINE_ARGS_CHARS = 90;
const SHORT_TYPE_CHARS = 28;

/** The hits as the model reads them, with signatures in the program's language. */
export function renderHits(ops: readonly Operation[], detail: AnswerDetail = 'auto', language: SignatureLanguage = 'typescript'): string {
  const line = (op: Operation) => renderHitLine(op, language);
  if (detail === 'name') return ops.map((op) => op.callName).join('\n');
  if (detail === 'summary') return ops.map(line).join('\n');
  if (detail === 'full') return ops.map((op) => renderSignatureIn(op, 'full', language)).join('\n\n');
  const [lead, ...rest] = ops;
  if (!lead) return '';
  const head = renderSignatureIn(lead, 'full', language, { maxChars: LEAD_MAX_CHARS, maxDescriptionLength: 200, maxDocLength: 80 });
  return rest.length ? `${head}\n\nAlso:\n${rest.map(line).join('\n')}` : head;
}

/** `renderSignature` in the program's language: a Python `summary` is its hit line (Python has no inline object types). */
export function renderSignatureIn(op: Operation, detail: SignatureDetail, language: SignatureLanguage, options: SignatureOptions = {}): string {
  if (language !== 'python' || detail === 'name') return renderSignature(op, detail, options);
  return detail === 'summary' ? renderHitLine(op, language) : renderPySignature(op, options);
}

/** One line: the call, its arguments (required ones typed, optional ones named), the doc line. */
export function renderHitLine(op: Operation, language: SignatureLanguage = 'typescript'): string {
  const doc = firstSentence(stripTags(op.description), LINE_DOC_CHARS);
  const python = language === 'python';
  const args = python ? compactArgs(op.inputSchema, shortPyType, (key) => JSON.stringify(key)) : compactArgs(op.inputSchema, shortTsType, tsKey);
  return `${op.callName}(${args})${doc ? ` ${python ? '#' : '//'} ${doc}` : ''}`;
}

function shortTsType(prop: unknown, root: JsonSchema): string {
  return schemaToTs(prop, { root, scope: createTypeScope(), maxDepth: 2 });
}

/** A Python type that names no class (a line declares none): `str`, `list[int]`, `Literal["a", "b"]`. */
function shortPyType(prop: unknown, root: JsonSchema): string | undefined {
  const scope = createPyScope();
  const type = schemaToPy(prop, { root, scope, maxDepth: 2, hint: 'Item' });
  return pyDeclarations(scope).length === 0 ? type : undefined;
}

function tsKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

/** `{ zone_id: string, name?, …3 more }`: keys spelled by `keyOf` (a Python dict quotes them), short types by `typeOf`. */
function compactArgs(schema: JsonSchema, typeOf: (prop: unknown, root: JsonSchema) => string | undefined, keyOf: (key: string) => string): string {
  const properties = schema['properties'];
  if (!properties || typeof properties !== 'object') return Object.keys(schema).length ? '{…}' : '';
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : []);
  const entries = Object.entries(properties as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const parts: string[] = [];
  let length = 0;
  let omitted = 0;
  // Required first, each typed when its type is short; then optional names while they fit.
  const ordered = [...entries.filter(([k]) => required.has(k)), ...entries.filter(([k]) => !required.has(k))];
  for (const [key, prop] of ordered) {
    const name = keyOf(key);
    let part: string;
    if (required.has(key)) {
      const type = typeOf(prop, schema);
      part = type !== undefined && type.length <= SHORT_TYPE_CHARS && !type.includes('\n') ? `${name}: ${type}` : name;
    } else {
      part = `${name}?`;
    }
    if (parts.length > 0 && length + part.length > LINE_ARGS_CHARS && !required.has(key)) {
      omitted++;
      continue;
    }
    parts.push(part);
    length += part.length + 2;
  }
  if (omitted) parts.push(`…${omitted} more`);
  return `{ ${parts.join(', ')} }`;
}

/** What there is to browse when a search has no words: servers, or one server's tags. */
export function renderBrowse(ops: readonly Operation[], server?: string, language: SignatureLanguage = 'typescript'): string {
  if (!server) {
    const counts = countBy(ops, (op) => [op.namespace]);
    return `${ops.length} operations. Servers: ${[...counts].map(([ns, n]) => `${ns} (${n})`).join(', ')}.\n`
      + 'Search with words, or browse one: search({ query: "", server: "<name>" }).';
  }
  const tags = countBy(ops, (op) => op.tags ?? []);
  if (tags.size === 0) return ops.map((op) => renderHitLine(op, language)).join('\n');
  const untagged = ops.filter((op) => !op.tags?.length).length;
  return `${server}: ${ops.length} operations in ${tags.size} tags${untagged ? ` (${untagged} untagged)` : ''}. `
    + `List one with search({ query: "", server: "${server}", tag: "<tag>" }).\n`
    + [...tags].map(([tag, n]) => `${tag} (${n})`).join(', ');
}

function countBy(ops: readonly Operation[], keys: (op: Operation) => readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const op of ops) for (const key of keys(op)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

export type { SignatureDetail };
