// What a request asks to do, and what an operation does, as one of the five CRUD actions plus the
// resource noun it acts on: the verb decides between operations that share a noun (add / list /
// get / drop a gadget). Pure; imported by catalog/search/ only.
import type { Operation } from '../operation.js';
import { isStopWord, splitWords, stemWord, stripTags } from './text.js';
import { actionOfFirstWord, actionOfWord, foldPhrases, type Action } from './vocabulary.js';

export interface OperationIntent {
  readonly action: Action | undefined;
  /** Stems of the resource noun (the path's last collection, or the tool name's noun). */
  readonly resource: ReadonlySet<string>;
}

export interface QueryIntent {
  readonly action: Action | undefined;
  /** No CRUD verb, but the request reads as a command (`ban this IP`) or a question (`who called?`). */
  readonly mood: 'command' | 'question' | undefined;
}

// First words that make a request a question: it reads something, whatever verbs follow.
const QUESTION_WORDS = new Set(['what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how', 'howmany', 'is', 'are',
  'was', 'were', 'do', 'does', 'did', 'can', 'could', 'has', 'have', 'any', 'am']);

// Words ending in `s` that are not plurals, so they do not make a request read as a listing.
const NOT_PLURAL = new Set(['status', 'dns', 'analytics', 'news', 'https', 'access', 'address', 'canvas', 'ios', 'cors',
  'aws', 'sms', 'mms', 'vps', 'alias', 'bus', 'gas', 'os', 'process', 'class', 'metrics', 'settings', 'details', 'stats', 'logs', 'has', 'was', 'is', 'this', 'its', 'us']);

// Read-words that, before a plural noun, ask for a listing (`show my zones`).
const READ_ACTIONS: ReadonlySet<Action | undefined> = new Set(['get', undefined]);

/** The words of a text after phrase folding (`turn off` -> `turnoff`); HTML tags are not words. */
export function queryWords(text: string): string[] {
  return foldPhrases(splitWords(stripTags(text)).join(' ')).split(' ').filter(Boolean);
}


function isPluralNoun(word: string): boolean {
  if (word.length <= 3 || !word.endsWith('s') || /(ss|us|is)$/.test(word) || NOT_PLURAL.has(word)) return false;
  return actionOfWord(word) === undefined && stemWord(word) !== word;
}

export function queryIntent(query: string): QueryIntent {
  const words = queryWords(query);
  const first = words[0] ?? '';
  const question = QUESTION_WORDS.has(first);
  let action: Action | undefined;
  // A question reads (`what SIP domains have we set up?`): its later verbs do not make it a change.
  if (!question) {
    // A noun that is also a verb (`file a ticket`, `text the customer`) is one only in front of
    // a clause: `our login page crashes: file a bug` asks to file.
    for (const clause of clauseStarts(query)) {
      action = actionOfFirstWord(clause);
      if (action) break;
    }
    for (const word of action ? [] : words) {
      action = actionOfWord(word);
      if (action) break;
    }
  }
  // `what gadgets do I have`, `show my zones`, `gadgets`: a plural noun with no stronger verb lists.
  const lower = query.toLowerCase();
  const listing = /\b(what|which|who)\b.*\b(have|got|exist|are there|own|set up)\b/.test(lower) || /\ball\b|\bevery\b/.test(lower);
  if (READ_ACTIONS.has(action) && (listing || words.some(isPluralNoun))) action = 'list';
  const mood = action ? undefined : question ? 'question' : first && !isStopWord(first) ? 'command' : undefined;
  return { action, mood };
}

/** The first word of each clause (after `:`, `;`, `.`, `!`, `?`, ` - `, `then`). */
function clauseStarts(query: string): string[] {
  return query.split(/[:;.!?]\s|\s[-–—]\s|\bthen\b|\band then\b/i)
    .map((clause) => queryWords(clause).find((w) => !isStopWord(w)) ?? '').filter(Boolean);
}

export function operationIntent(op: Operation): OperationIntent {
  return { action: operationAction(op), resource: operationResource(op) };
}

function operationAction(op: Operation): Action | undefined {
  // The summary's first word is the author's verb ("Delete a list."), then the name's first verb,
  // then the method and path. A read of many (`Get all projects`, `Retrieves a collection of
  // calls`, `ListCall`) is a listing, whichever of them says so.
  const summary = queryWords(op.description.slice(0, 80)).slice(0, 8);
  const named = queryWords(op.name).map(actionOfWord).find(Boolean);
  const routed = routeAction(op);
  const verb = summary[0] ? actionOfWord(summary[0]) : undefined;
  const action = verb ?? named ?? routed;
  if (action !== 'get') return action;
  // Only the words right after the summary's own read verb say what it reads (`Get all projects`).
  const object = verb === 'get' ? summary.slice(1, 4) : [];
  const many = named === 'list' || object.some((w) => w === 'all' || w === 'list' || w === 'collection' || isPluralNoun(w));
  return many ? 'list' : 'get';
}

function routeAction(op: Operation): Action | undefined {
  if (!op.method || !op.path) return undefined;
  const segments = op.path.split('/').filter(Boolean);
  const last = segments[segments.length - 1] ?? '';
  const onItem = last.startsWith('{');
  switch (op.method) {
    case 'DELETE': return 'delete';
    case 'PATCH': case 'PUT': return 'update';
    case 'POST': return onItem ? 'update' : isPluralNoun(lastWord(last)) ? 'create' : undefined;
    case 'GET': return onItem ? 'get' : isPluralNoun(lastWord(last)) ? 'list' : 'get';
    default: return undefined;
  }
}

function operationResource(op: Operation): Set<string> {
  if (op.path) {
    const statics = op.path.split('/').filter((s) => s && !s.startsWith('{'));
    // `Messages.json` is the resource `messages`: a format suffix is not a noun.
    const noun = statics[statics.length - 1]?.replace(/\.(json|xml|ya?ml|csv|txt)$/i, '');
    if (noun) return new Set(splitWords(noun).slice(-1).map(stemWord));
  }
  const nouns = queryWords(op.name).filter((w) => !actionOfWord(w));
  return new Set(nouns.slice(-1).map(stemWord));
}

function lastWord(segment: string): string {
  return splitWords(segment.replace(/\.(json|xml|ya?ml|csv|txt)$/i, '')).pop() ?? '';
}
