// Full-text search over operations with MiniSearch (BM25+): names split on snake/camel/kebab
// case, descriptions, parameter names and docs, server names, OpenAPI tags and paths. Ranking is stable: equal scores
// fall back to the call name. Imported by catalog/catalog.ts only.
import MiniSearch from 'minisearch';
import type { JsonSchema, Operation } from './operation.js';

export interface SearchOptions {
  readonly limit?: number;
  /** Only operations of this upstream (config key or namespace). */
  readonly server?: string;
  /** Only operations with this tag (OpenAPI), case-insensitive. */
  readonly tag?: string;
}

export interface SearchHit {
  readonly operation: Operation;
  readonly score: number;
}

export interface SearchIndex {
  search(query: string, options?: SearchOptions): SearchHit[];
}

interface IndexedDoc {
  id: number;
  name: string;
  server: string;
  description: string;
  params: string;
  /** OpenAPI tags and `METHOD path`; empty for MCP tools. */
  route: string;
}

const STOP_WORDS = new Set([
  'a', 'an', 'the', 'of', 'to', 'for', 'and', 'or', 'in', 'on', 'with', 'by', 'is', 'are', 'be', 'it',
  'this', 'that', 'from', 'as', 'at', 'me', 'my', 'i', 'all', 'some', 'any',
]);

export const DEFAULT_SEARCH_LIMIT = 8;

/** Splits `getUserByID`, `list_issues`, `get-sum`, `/zones/{zone_id}` into lowercase words. */
export function splitWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Lowercases, drops stop words and folds simple plurals so `numbers` finds `number`. */
function normalizeTerm(term: string): string | null {
  const word = term.toLowerCase();
  if (STOP_WORDS.has(word)) return null;
  if (word.length > 3 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

export function createSearchIndex(operations: readonly Operation[]): SearchIndex {
  const index = new MiniSearch<IndexedDoc>({
    fields: ['name', 'server', 'description', 'params', 'route'],
    storeFields: [],
    tokenize: splitWords,
    processTerm: normalizeTerm,
    searchOptions: {
      boost: { name: 3, server: 1.5, description: 1, params: 0.6, route: 1.5 },
      prefix: (term) => term.length >= 4,
      fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
      combineWith: 'OR',
    },
  });
  index.addAll(operations.map((op, id) => ({
    id,
    // An OpenAPI summary ("List Zones") names the operation better than its operationId (`zones-get`).
    name: op.method ? `${op.name} ${summaryOf(op.description)}` : `${op.toolName} ${op.name}`,
    server: `${op.server} ${op.namespace}`,
    description: op.description,
    params: describeParams(op.inputSchema),
    route: op.method ? [...(op.tags ?? []), op.method, op.path ?? ''].join(' ') : '',
  })));

  return {
    search(query, options = {}) {
      const limit = Math.max(1, options.limit ?? DEFAULT_SEARCH_LIMIT);
      const server = options.server;
      const tag = options.tag?.toLowerCase();
      const accept = (op: Operation) => (!server || op.server === server || op.namespace === server)
        && (!tag || (op.tags ?? []).some((t) => t.toLowerCase() === tag));
      const hits: SearchHit[] = query.trim()
        ? index.search(query).flatMap((r) => {
            const operation = operations[r.id as number];
            return operation && accept(operation) ? [{ operation, score: r.score }] : [];
          })
        : operations.filter(accept).map((operation) => ({ operation, score: 0 }));
      hits.sort((a, b) => b.score - a.score || a.operation.callName.localeCompare(b.operation.callName));
      return hits.slice(0, limit);
    },
  };
}

function describeParams(schema: JsonSchema): string {
  const properties = schema.properties;
  if (!properties || typeof properties !== 'object') return '';
  return Object.entries(properties as Record<string, { description?: unknown }>)
    .map(([name, prop]) => `${name} ${typeof prop?.description === 'string' ? prop.description : ''}`)
    .join(' ');
}

/** An OpenAPI operation's summary: the description's first sentence (extract.ts writes it first). */
function summaryOf(description: string): string {
  const end = description.indexOf('. ');
  return end > 0 ? description.slice(0, end) : description;
}
