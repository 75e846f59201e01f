// Operation search: a fielded BM25 index over name, summary, route, server, description and
// parameter names; each request word brings in its general API synonyms at a lower weight; the
// result is shaped by how many request words matched, by the request's verb against the
// operation's (create / list / get / update / delete) and by its resource noun. Several phrasings
// are fused by reciprocal rank. Ties fall back to the call name. Imported by catalog/catalog.ts.
import type { JsonSchema, Operation } from './operation.js';
import { createFieldedIndex, type FieldSpec } from './search/fielded-index.js';
import { operationIntent, queryIntent, queryWords, type OperationIntent, type QueryIntent } from './search/intent.js';
import { isStopWord, splitWords, stemWord, stripTags } from './search/text.js';
import { synonymGroups } from './search/vocabulary.js';

export { splitWords };

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
  /** Ranked operations for one phrasing, or several fused (an empty query lists in name order). */
  search(query: string | readonly string[], options?: SearchOptions): SearchHit[];
}

export const DEFAULT_SEARCH_LIMIT = 5;

const FIELDS: readonly FieldSpec[] = [
  { name: 'name', weight: 2.5, b: 0.5 },
  { name: 'summary', weight: 2.5, b: 0.5 },
  { name: 'route', weight: 1.2, b: 0.3 },
  { name: 'server', weight: 1.5, b: 0 },
  { name: 'description', weight: 0.8, b: 0.75 },
  { name: 'params', weight: 0.3, b: 0.5 },
];

/** Tuning constants, in one place. */
const SYNONYM_WEIGHT = 0.55;
const COVERAGE_EXPONENT = 1;
const SAME_ACTION = 1.5;
const NEAR_ACTION = 0.85; // get vs list
const OTHER_ACTION = 0.7;
const RESOURCE_MATCH = 1.4;
const MOOD_MATCH = 1.2;
// A deprecated operation yields to its replacement when both match.
const DEPRECATED = 0.8;
const FUSION_K = 10;
const QUOTED_WEIGHT = 0.3;

interface QueryGroup {
  /** The stem of the request word itself. */
  readonly word: string;
  /** How much the word counts: a quoted value (`'roadmap'`, `"1600 Amphitheatre Parkway"`) is data, not a description. */
  readonly weight: number;
  /** Stems standing for one request word, each with its weight (1 for the word itself). */
  readonly terms: ReadonlyMap<string, number>;
}

export function createSearchIndex(operations: readonly Operation[]): SearchIndex {
  const index = createFieldedIndex(FIELDS, operations.map(documentFields));
  const intents = operations.map(operationIntent);
  const deprecated = operations.map((op) => /deprecated/i.test(op.name) || /^\s*(\S+\s+){0,12}?\(?deprecated\b/i.test(op.description));
  const synonyms = synonymTable();
  const idf = (term: string) => {
    const n = index.documentFrequency(term);
    return Math.log(1 + (index.size - n + 0.5) / (n + 0.5));
  };

  function rank(query: string, accept: (op: Operation) => boolean): SearchHit[] {
    const groups = queryGroups(query, synonyms);
    if (groups.length === 0) return [];
    const total = new Map<number, number>();
    const matched = new Map<number, number>();
    const scratch = new Map<number, number>();
    for (const group of groups) {
      const best = new Map<number, number>();
      // A synonym never counts for more than the word itself would: a rare synonym of a common
      // word (`site` for `zone`) must not outrank the operations that use the word.
      const ownIdf = idf(group.word);
      for (const [term, weight] of group.terms) {
        scratch.clear();
        index.scoreTerm(term, scratch);
        const factor = term === group.word ? 1 : weight * Math.min(1, ownIdf / Math.max(1e-9, idf(term)));
        for (const [id, s] of scratch) if (s * factor > (best.get(id) ?? 0)) best.set(id, s * factor);
      }
      for (const [id, s] of best) {
        total.set(id, (total.get(id) ?? 0) + s * group.weight);
        matched.set(id, (matched.get(id) ?? 0) + group.weight);
      }
    }
    const totalWeight = groups.reduce((sum, g) => sum + g.weight, 0);
    const intent = queryIntent(query);
    const resourceStems = new Set(groups.map((g) => g.word));
    const hits: SearchHit[] = [];
    for (const [id, base] of total) {
      const operation = operations[id];
      if (!operation || !accept(operation)) continue;
      const coverage = ((matched.get(id) ?? 0) / totalWeight) ** COVERAGE_EXPONENT;
      const score = base * coverage * actionFactor(intent, intents[id]) * resourceFactor(resourceStems, intents[id])
        * (deprecated[id] ? DEPRECATED : 1);
      hits.push({ operation, score });
    }
    return hits.sort(byScore);
  }

  return {
    search(query, options = {}) {
      const limit = Math.max(1, options.limit ?? DEFAULT_SEARCH_LIMIT);
      const server = options.server;
      const tag = options.tag?.toLowerCase();
      const accept = (op: Operation) => (!server || op.server === server || op.namespace === server)
        && (!tag || (op.tags ?? []).some((t) => t.toLowerCase() === tag));
      const phrasings = (typeof query === 'string' ? [query] : [...query]).filter((q) => q.trim());
      if (phrasings.length === 0) {
        return operations.filter(accept).map((operation) => ({ operation, score: 0 }))
          .sort((a, b) => a.operation.callName.localeCompare(b.operation.callName)).slice(0, limit);
      }
      if (phrasings.length === 1) return rank(phrasings[0] ?? '', accept).slice(0, limit);
      return fuse(phrasings.map((q) => rank(q, accept))).slice(0, limit);
    },
  };
}

/** Reciprocal-rank fusion of several rankings; an operation high in any of them rises. */
function fuse(rankings: readonly SearchHit[][]): SearchHit[] {
  const fused = new Map<Operation, number>();
  for (const ranking of rankings) {
    ranking.slice(0, 100).forEach((hit, rank) => fused.set(hit.operation, (fused.get(hit.operation) ?? 0) + 1 / (FUSION_K + rank + 1)));
  }
  return [...fused].map(([operation, score]) => ({ operation, score })).sort(byScore);
}

function byScore(a: SearchHit, b: SearchHit): number {
  return b.score - a.score || a.operation.callName.localeCompare(b.operation.callName);
}

function actionFactor(intent: QueryIntent, op: OperationIntent | undefined): number {
  const asked = intent.action;
  if (!asked) {
    // No CRUD verb: a command (`ban this IP`) leans to changes, a question (`who called?`) to reads.
    if (!op?.action || !intent.mood) return 1;
    const reads = op.action === 'list' || op.action === 'get';
    return intent.mood === 'question' ? (reads ? MOOD_MATCH : 1) : (reads ? 1 : MOOD_MATCH);
  }
  if (!op?.action) return 1;
  if (asked === op.action) return SAME_ACTION;
  if ((asked === 'get' && op.action === 'list') || (asked === 'list' && op.action === 'get')) return NEAR_ACTION;
  return OTHER_ACTION;
}

function resourceFactor(stems: ReadonlySet<string>, op: OperationIntent | undefined): number {
  if (!op) return 1;
  for (const stem of op.resource) if (stems.has(stem)) return RESOURCE_MATCH;
  return 1;
}

function termsOf(text: string): string[] {
  return queryWords(text).filter((w) => !isStopWord(w)).map(stemWord);
}

function documentFields(op: Operation): string[][] {
  const { summary, rest } = splitSummary(op.description);
  const route = op.method ? [...(op.tags ?? []), op.method, staticPath(op.path ?? '')].join(' ') : '';
  return [
    termsOf(op.method ? op.name : `${op.toolName} ${op.name}`),
    termsOf(summary),
    termsOf(route),
    termsOf(`${op.server} ${op.namespace}`),
    termsOf(rest),
    termsOf(paramNames(op.inputSchema)),
  ];
}

/** The description's first sentence (an OpenAPI summary: extract.ts writes it first) and the rest. */
function splitSummary(html: string): { summary: string; rest: string } {
  const description = stripTags(html);
  const match = /^(.+?[.!?])(\s+[A-Z0-9"'`(\[]|\s*\n|$)/s.exec(description.trim());
  if (!match) return { summary: description, rest: '' };
  const summary = match[1] ?? '';
  return { summary, rest: description.trim().slice(summary.length) };
}

function staticPath(path: string): string {
  return path.split('/').filter((s) => s && !s.startsWith('{')).join(' ');
}

function paramNames(schema: JsonSchema): string {
  const properties = schema.properties;
  if (!properties || typeof properties !== 'object') return '';
  return Object.keys(properties).filter((name) => name !== 'body').join(' ');
}

function queryGroups(query: string, synonyms: ReadonlyMap<string, ReadonlySet<string>>): QueryGroup[] {
  const seen = new Set<string>();
  const groups: QueryGroup[] = [];
  const quoted = new Set(quotedValues(query).flatMap(queryWords));
  for (const word of queryWords(query)) {
    if (isStopWord(word)) continue;
    const stem = stemWord(word);
    if (seen.has(stem)) continue;
    seen.add(stem);
    const terms = new Map<string, number>([[stem, 1]]);
    for (const other of synonyms.get(stem) ?? []) if (!terms.has(other)) terms.set(other, SYNONYM_WEIGHT);
    groups.push({ word: stem, terms, weight: quoted.has(word) ? QUOTED_WEIGHT : 1 });
  }
  return groups;
}

/** The text inside quotes: values the request carries, such as a name or an address. */
function quotedValues(query: string): string[] {
  return [...query.matchAll(/(?:^|[\s(:=,])(["'`\u2018\u201c])(.+?)(?:["'`\u2019\u201d])(?=$|[\s).,:;!?])/g)].map((m) => m[2] ?? '');
}

let synonymCache: Map<string, Set<string>> | undefined;

/** stem -> stems of the words it shares a synonym group with; the vocabulary is fixed, so built once. */
function synonymTable(): Map<string, Set<string>> {
  if (synonymCache) return synonymCache;
  const table = new Map<string, Set<string>>();
  for (const group of synonymGroups()) {
    const stems = [...new Set(group.map(stemWord))];
    for (const stem of stems) {
      let set = table.get(stem);
      if (!set) table.set(stem, (set = new Set()));
      for (const other of stems) if (other !== stem) set.add(other);
    }
  }
  synonymCache = table;
  return table;
}
