// "Did you mean" for names a program used that the catalog lacks: the nearest operations (edit
// distance, a swap of two letters counting one, and shared words) and namespaces, at most three,
// or how to find the operation with search. Pure and language-neutral: it reads the sandbox's api
// map (namespace -> function names), never a program; each language runtime phrases its own error.
import { editDistance } from '../common/index.js';
import { terms } from './search/text.js';

/** Namespace -> function names, as the sandbox installs them (Catalog.api()). */
export type ApiNames = Readonly<Record<string, readonly string[]>>;

export const MAX_SUGGESTIONS = 3;

/** Namespaces named in a message before it says how many there are in all. */
const MAX_LISTED_NAMESPACES = 12;

// Verbs shared by most operations: alone they never make two names alike (`get_user`, `get_issue`).
const COMMON_VERBS = new Set([
  'get', 'list', 'set', 'creat', 'create', 'updat', 'update', 'delet', 'delete', 'remov', 'remove', 'add', 'find', 'search',
  'fetch', 'read', 'write', 'put', 'post', 'patch', 'new', 'run', 'make', 'do',
]);

interface Scored {
  readonly name: string;
  readonly score: number;
}

/**
 * Call names (`crm.find_contact`) close to `namespace.name`: same-namespace operations first, then
 * the same or a similar name in another namespace. Empty when nothing is close.
 */
export function suggestOperations(api: ApiNames, namespace: string, name: string, max = MAX_SUGGESTIONS): string[] {
  const scored: Scored[] = [];
  const similarity = similarityTo(name);
  for (const ns of Object.keys(api)) {
    const sameNamespace = ns === namespace;
    for (const fn of api[ns] ?? []) {
      const score = similarity(fn);
      if (score > 0) scored.push({ name: `${ns}.${fn}`, score: score + (sameNamespace ? 0.3 : 0) });
    }
  }
  return best(scored, max);
}

/** Namespaces close to `name` (`crmm` -> `crm`, `googledrive` -> `google_drive`). */
export function suggestNamespaces(api: ApiNames, name: string, max = MAX_SUGGESTIONS): string[] {
  const similarity = similarityTo(name);
  const scored = Object.keys(api).map((ns) => ({ name: ns, score: similarity(ns) })).filter((s) => s.score > 0);
  return best(scored, max);
}

/**
 * The error for `namespace.name` when the namespace exists and has no such function:
 * `crm.find_contcat is not a function; did you mean crm.find_contact?`, or, when nothing is close,
 * how to look for it.
 */
export function describeUnknownOperation(api: ApiNames, namespace: string, name: string): string {
  const head = `${namespace}.${name} is not a function`;
  const near = suggestOperations(api, namespace, name);
  if (near.length) return `${head}; did you mean ${orList(near)}?`;
  return `${head}: ${namespace} has no operation of that name. Find it with the search tool: ${searchCall(name)}`;
}

/**
 * The error for a global `name` that is not defined, when it looks like a namespace: `member` is
 * the property the program read on it (`crmm.find_contact` -> `find_contact`), if any. Undefined
 * when the name is not close to anything in the catalog and was not used as a namespace (a plain
 * undefined variable is the program's own business).
 */
export function describeUnknownName(api: ApiNames, name: string, member?: string): string | undefined {
  const head = `${name} is not defined`;
  const namespaces = suggestNamespaces(api, name);
  if (member !== undefined) {
    const calls = namespaces.flatMap((ns) => {
      if (api[ns]?.includes(member)) return [`${ns}.${member}`];
      const near = suggestOperations(api, ns, member, 1);
      return near[0]?.startsWith(`${ns}.`) ? near : [];
    });
    if (calls.length) return `${head}; did you mean ${orList(calls.slice(0, MAX_SUGGESTIONS))}?`;
    if (namespaces.length) return `${head}; did you mean the namespace ${orList(namespaces)}?`;
    // The operation may exist under another namespace.
    const elsewhere = suggestOperations(api, '', member);
    const listed = listNamespaces(api);
    if (elsewhere.length) return `${head}: there is no namespace ${name}; did you mean ${orList(elsewhere)}?`;
    return `${head}: there is no namespace ${name}${listed}. Find the operation with the search tool: ${searchCall(`${name} ${member}`)}`;
  }
  if (namespaces.length) return `${head}; did you mean the namespace ${orList(namespaces)}?`;
  // A function called without its namespace: `find_contact(...)` for `crm.find_contact(...)`.
  const exact = Object.keys(api).filter((ns) => api[ns]?.includes(name)).map((ns) => `${ns}.${name}`);
  if (exact.length) return `${head}; did you mean ${orList(exact.slice(0, MAX_SUGGESTIONS))}?`;
  return undefined;
}

/** How to find an operation by what its name says: `search({ query: "find contact" })`. */
export function searchCall(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).filter(Boolean).join(' ').toLowerCase();
  return `search({ query: ${JSON.stringify(words || name)} })`;
}

/**
 * How alike a name the program wrote and a catalog name are: 0 when not alike enough to suggest;
 * above 1 for a likely misspelling (case, separators and one or two slips ignored); up to 1 for
 * shared words (`search_contacts` and `find_contact` share `contact`).
 */
export function nameSimilarity(written: string, known: string): number {
  return similarityTo(written)(known);
}

/** nameSimilarity with the written name's work done once, for scoring a whole catalog. */
function similarityTo(written: string): (known: string) => number {
  const a = compact(written);
  const wordsA = wordsOf(written);
  return (known) => {
    const b = compact(known);
    if (!a || !b) return 0;
    const allowed = Math.max(1, Math.floor(Math.min(a.length, b.length) / 3));
    // The distance is at least the difference in length: most names need no table at all.
    const distance = Math.abs(a.length - b.length) > allowed ? Infinity : editDistance(a, b);
    const spelling = distance <= allowed ? 2 - distance / Math.max(a.length, b.length) : 0;
    return spelling + sharedWords(wordsA, wordsOf(known));
  };
}

/** Share of the longer name's words found in the other (0 when they share only a common verb besides other words). */
function sharedWords(wordsA: ReadonlySet<string>, wordsB: ReadonlySet<string>): number {
  let shared = 0;
  let content = 0;
  for (const word of wordsA) {
    if (!wordsB.has(word)) continue;
    shared += 1;
    if (!COMMON_VERBS.has(word)) content += 1;
  }
  // A shared verb counts only when it is all the program wrote (`search` for `search_nodes`).
  if (content === 0 && shared < wordsA.size) return 0;
  if (shared === 0) return 0;
  const share = shared / Math.max(wordsA.size, wordsB.size);
  return share >= 0.5 ? share : 0;
}

// The same catalog names are split and stemmed on every failure: keep their words.
const nameWords = new Map<string, ReadonlySet<string>>();
const MAX_CACHED_NAMES = 20_000;

function wordsOf(name: string): ReadonlySet<string> {
  let words = nameWords.get(name);
  if (!words) {
    words = new Set(terms(name));
    if (nameWords.size < MAX_CACHED_NAMES) nameWords.set(name, words);
  }
  return words;
}

function compact(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function best(scored: readonly Scored[], max: number): string[] {
  return [...scored]
    .sort((x, y) => y.score - x.score || x.name.length - y.name.length || (x.name < y.name ? -1 : 1))
    .slice(0, max)
    .map((s) => s.name);
}

function orList(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function listNamespaces(api: ApiNames): string {
  const all = Object.keys(api).sort();
  if (all.length === 0) return ' (no namespace is connected)';
  const shown = all.slice(0, MAX_LISTED_NAMESPACES).join(', ');
  return `; the namespaces are ${shown}${all.length > MAX_LISTED_NAMESPACES ? `, … (${all.length} in all)` : ''}`;
}
