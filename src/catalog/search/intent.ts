// What a request asks to do, and what an operation does, as one of the five CRUD actions plus the
// resource noun it acts on: the verb decides between operations that share a noun (add / list /
// get / drop a gadget). Pure; imported by catalog/search/ only.
import type { Operation } from '../operation.js';
import { splitWords, stemWord } from './text.js';
import { actionOfWord, foldPhrases, type Action } from './vocabulary.js';

export interface OperationIntent {
  readonly action: Action | undefined;
  /** Stems of the resource noun (the path's last collection, or the tool name's noun). */
  readonly resource: ReadonlySet<string>;
}

export interface QueryIntent {
  readonly action: Action | undefined;
}

// Words ending in `s` that are not plurals, so they do not make a request read as a listing.
const NOT_PLURAL = new Set(['status', 'dns', 'analytics', 'news', 'https', 'access', 'address', 'canvas', 'ios', 'cors',
  'aws', 'sms', 'mms', 'vps', 'alias', 'bus', 'gas', 'os', 'process', 'class', 'metrics', 'settings', 'details', 'stats', 'logs', 'has', 'was', 'is', 'this', 'its', 'us']);

// Read-words that, before a plural noun, ask for a listing (`show my zones`).
const READ_ACTIONS: ReadonlySet<Action | undefined> = new Set(['get', undefined]);

/** The words of a text after phrase folding (`turn off` -> `turnoff`). */
export function queryWords(text: string): string[] {
  return foldPhrases(splitWords(text).join(' ')).split(' ').filter(Boolean);
}

export function isPluralNoun(word: string): boolean {
  if (word.length <= 3 || !word.endsWith('s') || /(ss|us|is)$/.test(word) || NOT_PLURAL.has(word)) return false;
  return actionOfWord(word) === undefined && stemWord(word) !== word;
}

export function queryIntent(query: string): QueryIntent {
  const words = queryWords(query);
  let action: Action | undefined;
  for (const word of words) {
    action = actionOfWord(word);
    if (action) break;
  }
  // `what gadgets do I have`, `show my zones`, `gadgets`: a plural noun with no stronger verb lists.
  const listing = /\b(what|which)\b.*\b(have|got|exist|are there|own)\b/.test(query.toLowerCase()) || /\ball\b|\bevery\b/.test(query.toLowerCase());
  if (READ_ACTIONS.has(action) && (listing || words.some(isPluralNoun))) action = 'list';
  return { action };
}

export function operationIntent(op: Operation): OperationIntent {
  return { action: operationAction(op), resource: operationResource(op) };
}

function operationAction(op: Operation): Action | undefined {
  // The summary's first word is the author's verb ("Delete a list."), then the name's first verb.
  const summaryFirst = queryWords(op.description.slice(0, 80))[0];
  const fromSummary = summaryFirst ? actionOfWord(summaryFirst) : undefined;
  if (fromSummary) return fromSummary;
  for (const word of queryWords(op.name)) {
    const action = actionOfWord(word);
    if (action) return action;
  }
  if (!op.method || !op.path) return undefined;
  const segments = op.path.split('/').filter(Boolean);
  const last = segments[segments.length - 1] ?? '';
  const onItem = last.startsWith('{');
  switch (op.method) {
    case 'DELETE': return 'delete';
    case 'PATCH': case 'PUT': return 'update';
    case 'POST': return onItem ? 'update' : isPluralNoun(splitWords(last).pop() ?? '') ? 'create' : undefined;
    case 'GET': return onItem ? 'get' : isPluralNoun(splitWords(last).pop() ?? '') ? 'list' : 'get';
    default: return undefined;
  }
}

function operationResource(op: Operation): Set<string> {
  if (op.path) {
    const statics = op.path.split('/').filter((s) => s && !s.startsWith('{'));
    const noun = statics[statics.length - 1];
    if (noun) return new Set(splitWords(noun).slice(-1).map(stemWord));
  }
  const nouns = queryWords(op.name).filter((w) => !actionOfWord(w));
  return new Set(nouns.slice(-1).map(stemWord));
}
