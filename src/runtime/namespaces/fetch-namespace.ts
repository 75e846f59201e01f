// The sandbox's `fetch`, a host namespace rendered by the engine as a WHATWG-shaped global
// (sandbox/guest-prelude.ts) over one function, `request({ url, method, headers, body })`. The
// policy's fetch rules admit it first (only the origin is named), then the egress allowlist
// (egress.ts) decides and makes the request. Exists only when an egress allowlist is configured.
import { describeError, isCemcpError } from '../../common/index.js';
import type { Egress, EgressRequest } from '../egress.js';
import { failure, runEnded } from '../pipeline/index.js';
import type { HostNamespace } from './host-namespace.js';

export const FETCH_NAMESPACE = 'fetch';

/** The guest's `fetch` (sandbox/guest-prelude.ts makeFetch) as the type-checker sees it. */
const FETCH_DECLARATION = `interface FetchHeaders {
  get(name: string): string | null;
  has(name: string): boolean;
  forEach(callback: (value: string, key: string) => void): void;
  entries(): IterableIterator<[string, string]>;
}
interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly redirected: boolean;
  readonly headers: FetchHeaders;
  text(): Promise<string>;
  json(): Promise<any>;
}
declare function fetch(input: string | { url: string }, init?: { method?: string; headers?: Record<string, string> | [string, string][]; body?: any }): Promise<FetchResponse>;
`;

export function fetchNamespace(egress: Egress): HostNamespace {
  return {
    name: FETCH_NAMESPACE,
    functions: ['request'],
    form: 'fetch',
    declaration: FETCH_DECLARATION,
    async call(_fn, argsJson, { open, signal, admission, policy }) {
      let request: EgressRequest;
      try {
        request = JSON.parse(argsJson) as EgressRequest;
      } catch {
        return failure('ARGUMENT_INVALID', 'fetch: the request is not JSON');
      }
      if (typeof request?.url !== 'string') return failure('ARGUMENT_INVALID', 'fetch: expects a URL string');
      const decision = policy?.decideFetch(request.url);
      if (decision && decision.action !== 'allow') {
        // Only the origin is named (flags, refusal, confirmation): a URL's path and query may carry data.
        const origin = originOf(request.url);
        const refused = await admission.admit({ server: FETCH_NAMESPACE, tool: origin, callName: `fetch ${origin}`, destructive: false }, decision);
        if (refused) return { ok: false, error: refused };
      }
      const work = open.send(() => egress.request(request, signal));
      if (!work) return runEnded(FETCH_NAMESPACE);
      try {
        return { ok: true, json: JSON.stringify(await work) };
      } catch (error) {
        return failure(isCemcpError(error) ? error.code : 'EGRESS_FAILED', isCemcpError(error) ? error.message : `fetch failed: ${describeError(error)}`);
      }
    },
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}
