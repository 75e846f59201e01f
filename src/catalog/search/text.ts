// Text to index terms for operation search: words split on case and punctuation, stop words
// dropped, each word reduced to a stem (Porter) so `deployments`, `deploying` and `deploy` meet.
// Pure; imported by catalog/search/ only.
import { stemmer } from 'stemmer';

/** Splits `getUserByID`, `list_issues`, `get-sum`, `/zones/{zone_id}` into lowercase words. */
export function splitWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Drops HTML tags (Stripe writes its descriptions in HTML). */
export function stripTags(text: string): string {
  return text.includes('<') ? text.replace(/<\/?[a-zA-Z][^<>]{0,200}>/g, ' ') : text;
}

// Function words that say nothing about which operation is meant, in docs or in a request.
// Verbs (get, list, add, …) are not here: the verb often decides between operations.
const STOP_WORDS = new Set([
  'a', 'an', 'the', 'of', 'to', 'for', 'and', 'or', 'in', 'on', 'with', 'by', 'is', 'are', 'be', 'it', 'its',
  'this', 'that', 'these', 'those', 'from', 'as', 'at', 'me', 'my', 'mine', 'i', 'we', 'our', 'us', 'you', 'your',
  'can', 'could', 'would', 'should', 'will', 'shall', 'do', 'does', 'did', 'please', 'want', 'wanna', 'need', 'like',
  'how', 'into', 'onto', 'via', 'so', 'then', 'than', 'there', 'here', 'just', 'also', 'some', 'any', 'was', 'were',
  'been', 'being', 'has', 'have', 'had', 'am', 'if', 'else', 'when', 'where', 'which', 'what', 'who', 'whom', 'why',
  'them', 'they', 'their', 'his', 'her', 'he', 'she', 'him', 'e', 'g', 'eg', 'ie', 'etc', 'not', 'no', 'yes', 'about',
  'up', 'out', 'over', 'under', 'again', 'further', 'once', 'only', 'own', 'same', 'such', 'too', 'very', 'let', 'lets',
  'thing', 'things', 'something', 'somebody', 'someone', 'currently', 'given', 'specified', 'specific', 'existing',
  'using', 'use', 'used', 'will', 'may', 'might', 'must', 'via', 'per', 'each', 'every', 'all',
]);

// Porter cuts some API nouns too far or apart from their plural (`status` -> `statu`, `aliases` ->
// `alias` but `alias` -> `alia`, `settings` -> `set`, the verb); these keep a readable stem.
const STEM_EXCEPTIONS: Readonly<Record<string, string>> = {
  status: 'status', statuses: 'status', alias: 'alias', aliases: 'alias', settings: 'setting', setting: 'setting',
  news: 'news', dns: 'dns', analytics: 'analytic', analytic: 'analytic', https: 'https', http: 'http', ios: 'ios',
  data: 'data', media: 'media', canvas: 'canva', gists: 'gist', gist: 'gist', repos: 'repo', repo: 'repo',
  bus: 'bus', gas: 'gas', os: 'os', cors: 'cors', vps: 'vps', aws: 'aws', sms: 'sms', mms: 'mms',
};

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

// Stems are asked for the same few thousand words over and over while an index builds.
const stems = new Map<string, string>();
const MAX_CACHED_STEMS = 50_000;

/** The stem of one lowercase word. */
export function stemWord(word: string): string {
  const cached = stems.get(word);
  if (cached !== undefined) return cached;
  const known = STEM_EXCEPTIONS[word];
  const stem = known ?? (word.length <= 3 || /\d/.test(word) ? word : stemmer(word));
  if (stems.size < MAX_CACHED_STEMS) stems.set(word, stem);
  return stem;
}

/** Index terms of a text: its words, stop words dropped, stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of splitWords(text)) if (!STOP_WORDS.has(word)) out.push(stemWord(word));
  return out;
}
