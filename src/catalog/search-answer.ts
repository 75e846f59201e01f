// The text of a search answer: by default the best hit's documented signature and one short line
// per other hit (`ns.op({ zone_id: string, name?, …3 more }) // List DNS records`), so a model
// can write the call without paying for every schema; `full` documents every hit, `summary`
// lines them all, `name` names them. Also the browse listings (servers, tags, a tag's operations).
// Pure; imported through catalog/index.ts by server/ and cli/.
import type { JsonSchema, Operation } from './operation.js';
import { firstSentence, renderSignature, type SignatureDetail } from './declarations.js';
import { schemaToTs } from './schema-to-ts.js';
import { createTypeScope } from './type-scope.js';
import { stripTags } from './search/text.js';

export type AnswerDetail = SignatureDetail | 'auto';

// The best hit in an `auto` answer: arguments documented, a shallow result, bounded in characters.
const LEAD_MAX_CHARS = 1_200;
const LINE_DOC_CHARS = 70;
const LINE_ARGS_CHARS = 90;
const SHORT_TYPE_CHARS = 28;

/** The hits as the model reads them. */
export function renderHits(ops: readonly Operation[], detail: AnswerDetail = 'auto'): string {
  if (detail === 'name') return ops.map((op) => op.callName).join('\n');
  if (detail === 'summary') return ops.map(renderHitLine).join('\n');
  if (detail === 'full') return ops.map((op) => renderSignature(op, 'full')).join('\n\n');
  const [lead, ...rest] = ops;
  if (!lead) return '';
  const head = renderSignature(lead, 'full', { maxChars: LEAD_MAX_CHARS, maxDescriptionLength: 200, maxDocLength: 80 });
  return rest.length ? `${head}\n\nAlso:\n${rest.map(renderHitLine).join('\n')}` : head;
}

/** One line: the call, its arguments (required ones typed, optional ones named), the doc line. */
export function renderHitLine(op: Operation): string {
  const doc = firstSentence(stripTags(op.description), LINE_DOC_CHARS);
  return `${op.callName}(${compactArgs(op.inputSchema)})${doc ? ` // ${doc}` : ''}`;
}

function compactArgs(schema: JsonSchema): string {
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
    const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
    let part: string;
    if (required.has(key)) {
      const type = schemaToTs(prop, { root: schema, scope: createTypeScope(), maxDepth: 2 });
      part = type.length <= SHORT_TYPE_CHARS && !type.includes('\n') ? `${name}: ${type}` : name;
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
export function renderBrowse(ops: readonly Operation[], server?: string): string {
  if (!server) {
    const counts = countBy(ops, (op) => [op.namespace]);
    return `${ops.length} operations. Servers: ${[...counts].map(([ns, n]) => `${ns} (${n})`).join(', ')}.\n`
      + 'Search with words, or browse one: search({ query: "", server: "<name>" }).';
  }
  const tags = countBy(ops, (op) => op.tags ?? []);
  if (tags.size === 0) return ops.map(renderHitLine).join('\n');
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
