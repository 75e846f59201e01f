// cemcp's one HTTP redirect loop, for the sandbox's fetch (runtime/egress.ts: every hop re-checked
// against the allowlist by its `send`) and OpenAPI calls (upstream/openapi/http-caller.ts: same
// origin only). Methods change as the Fetch standard says: 303 -> GET, and 301/302 after a POST
// -> GET, both without the body. Pure; the caller sends.

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** One hop; `B` is the body type the caller sends (a string, FormData, …). */
export interface RedirectRequest<B = string> {
  readonly url: URL;
  readonly method: string;
  readonly body: B | undefined;
}

export interface RedirectOptions<R, B = string> {
  readonly maxRedirects: number;
  /** Refuse a redirect to another origin than the first request's. */
  readonly sameOrigin?: boolean;
  /** Sends one hop; throwing ends the loop (e.g. a hop the allowlist refuses). */
  send(request: RedirectRequest<B>, hop: number): Promise<R>;
  statusOf(response: R): number;
  locationOf(response: R): string | null | undefined;
  /** Releases a redirect answer's body before the next hop. */
  discard?(response: R): Promise<void>;
}

export type RedirectOutcome<R, B = string> =
  | { readonly kind: 'final'; readonly response: R; readonly request: RedirectRequest<B>; readonly hops: number }
  | { readonly kind: 'refused'; readonly why: 'too-many' | 'cross-origin'; readonly status: number; readonly to: URL };

/** Sends `first`, then follows redirects; a redirect answer without a (non-empty) Location is final. */
export async function followRedirects<R, B = string>(first: RedirectRequest<B>, options: RedirectOptions<R, B>): Promise<RedirectOutcome<R, B>> {
  let request = first;
  for (let hops = 0; ; hops++) {
    const response = await options.send(request, hops);
    const status = options.statusOf(response);
    const location = REDIRECT_STATUSES.has(status) ? options.locationOf(response) : undefined;
    if (!location) return { kind: 'final', response, request, hops };
    await options.discard?.(response);
    const to = new URL(location, request.url);
    if (options.sameOrigin && to.origin !== first.url.origin) return { kind: 'refused', why: 'cross-origin', status, to };
    if (hops >= options.maxRedirects) return { kind: 'refused', why: 'too-many', status, to };
    request = redirectedRequest(request, status, to);
  }
}

/** The request a redirect answer asks for. */
export function redirectedRequest<B>(request: RedirectRequest<B>, status: number, to: URL): RedirectRequest<B> {
  const method = request.method.toUpperCase();
  const toGet = (status === 303 && method !== 'GET' && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
  return toGet ? { url: to, method: 'GET', body: undefined } : { url: to, method: request.method, body: request.body };
}
