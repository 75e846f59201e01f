// What search answers for one request over a catalog: ranked hits for words, or browsing (servers,
// a server's tags, a tag's operations) without them; bounded like execute's output. Used by
// gateway-service.ts, which adds the saved skills and waits for upstreams still connecting.
import { truncateToTokens, UsageError } from '../common/index.js';
import { renderBrowse, renderHits, type AnswerDetail, type Catalog, type SignatureLanguage } from '../catalog/index.js';
import type { UpstreamStatusView } from './upstream-status.js';

export interface SearchRequest {
  readonly query: string;
  /** More phrasings of the same request; rankings are fused. */
  readonly queries?: readonly string[] | undefined;
  readonly limit?: number | undefined;
  readonly detail?: AnswerDetail | undefined;
  readonly server?: string | undefined;
  /** Only operations with this tag (OpenAPI sources). */
  readonly tag?: string | undefined;
  /** The language signatures are written in (default TypeScript, which JavaScript programs read too). */
  readonly language?: SignatureLanguage | undefined;
}

// A listing without words (a tag's operations) shows this many lines unless asked for fewer.
const BROWSE_LIMIT = 60;

/** The answer to `request`, naming what is wrong when its server is not connected. */
export function answerSearch(catalog: Catalog, request: SearchRequest, statuses: readonly UpstreamStatusView[], maxTokens: number): string {
  if (request.server && !catalog.operations.some((op) => op.server === request.server || op.namespace === request.server)) {
    const status = statuses.find((s) => s.name === request.server);
    if (status && status.state !== 'ready') return `search: server "${request.server}" has no operations yet.`;
    throw new UsageError('USAGE', `search: server "${request.server}" is not connected; servers: ${catalog.servers().join(', ') || '(none)'}`);
  }
  const phrasings = [request.query, ...(request.queries ?? [])].filter((q) => q.trim());
  const scope = { ...(request.server ? { server: request.server } : {}), ...(request.tag ? { tag: request.tag } : {}) };
  let answer: string;
  if (phrasings.length === 0) {
    // Browsing without guessing words: servers, then a server's tags, then a tag's operations.
    const ops = catalog.search('', { ...scope, limit: Number.MAX_SAFE_INTEGER }).map((h) => h.operation);
    // Names were asked for (or a tag's operations): list them; otherwise show what to browse.
    if (request.tag || request.detail === 'name') {
      if (ops.length === 0) return `No operation has the tag "${request.tag ?? ''}". Browse the tags with search({ query: "", server: "<name>" }).`;
      const shown = ops.slice(0, request.limit ?? BROWSE_LIMIT);
      const more = shown.length < ops.length ? `\n…${ops.length - shown.length} more: raise limit` : '';
      answer = `${renderHits(shown, request.detail ?? 'summary', request.language)}${more}`;
    } else {
      answer = renderBrowse(ops, request.server, request.language);
    }
  } else {
    const hits = catalog.search(phrasings, { ...scope, ...(request.limit ? { limit: request.limit } : {}) });
    if (hits.length === 0) {
      return `No operation matches "${phrasings.join('" / "')}". ${catalog.operations.length} operations on: ${catalog.servers().join(', ') || '(no servers)'}. Try other words, or browse: search({ query: "", server: "<name>" }).`;
    }
    answer = renderHits(hits.map((h) => h.operation), request.detail ?? 'auto', request.language);
  }
  // Bounded like execute's output: one enormous schema must not flood the model's context.
  const budget = maxTokens;
  const { text, totalTokens, cut } = truncateToTokens(answer, budget);
  if (!cut) return text;
  return `${text}\n…[cut by cemcp: this answer is ~${totalTokens.toLocaleString('en-US')} tokens, showing the first ${budget.toLocaleString('en-US')}. Ask with detail: "summary", a lower limit, or a narrower query.]`;
}
