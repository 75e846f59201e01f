// Calls one OpenAPI operation over HTTP from the host: credentials injected here (never seen by a
// program: the gateway's one secret redactor, runtime/secret-guard.ts, removes any echo of them
// from results and errors), a timeout, a response size bound, same-origin redirects only; answers
// in the MCP CallToolResult shape the runtime reads. Imported by upstream/openapi/source.ts.
// Bodies are passed on whole (within maxResponseBytes): cutting here would cut before redaction.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { UpstreamError, describeError, followRedirects, readBoundedBody } from '../../common/index.js';
import type { OpenApiAuth } from '../../config/index.js';
import { isJson } from './extract.js';
import { buildRequest } from './request.js';
import type { OpenApiOperation } from './types.js';

export interface HttpTarget {
  /** `openapi "name"`, for messages. */
  readonly label: string;
  readonly baseUrl: string;
  readonly auth?: OpenApiAuth | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly maxResponseBytes: number;
  /** The source's own cap on the timeout the caller asks for. */
  readonly timeoutMs?: number | undefined;
}

export interface HttpCallOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

const MAX_REDIRECTS = 5;

export async function callOperation(
  op: OpenApiOperation, args: Readonly<Record<string, unknown>>, target: HttpTarget, options: HttpCallOptions,
): Promise<CallToolResult> {
  const where = `${target.label} ${op.method} ${op.path}`;
  const built = buildRequest(op, args, target.baseUrl, where);
  const headers: Record<string, string> = { accept: 'application/json, */*;q=0.8', ...built.headers, ...target.headers };
  const url = built.url;
  applyAuth(target.auth, headers, url);
  const timeoutMs = Math.min(options.timeoutMs, target.timeoutMs ?? Infinity);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    // Same origin only: the credential was injected for this API, not for wherever it points.
    const outcome = await followRedirects({ url, method: op.method, body: built.body }, {
      maxRedirects: MAX_REDIRECTS,
      sameOrigin: true,
      send: (hop) => send(hop.url, { method: hop.method, headers, body: hop.body ?? null, redirect: 'manual', signal }),
      statusOf: (response) => response.status,
      locationOf: (response) => response.headers.get('location'),
      discard: async (response) => {
        await response.body?.cancel().catch(() => undefined);
      },
    });
    if (outcome.kind === 'refused') {
      return errorResult(`${where}: HTTP ${outcome.status} redirect ${outcome.why === 'cross-origin' ? 'to another origin refused' : 'loop'}`);
    }
    const response = outcome.response;
    const bytes = await readBounded(response, target.maxResponseBytes, where);
    const contentType = response.headers.get('content-type') ?? '';
    if (!response.ok) {
      // The whole body: the bridge bounds the message after the secret guard has redacted it.
      const text = new TextDecoder().decode(bytes).trim();
      return errorResult(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} from ${op.method} ${op.path}${text ? `: ${text}` : ''}`);
    }
    return successResult(bytes, contentType, url);
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    if (timeout.aborted) {
      throw new UpstreamError('UPSTREAM_TIMEOUT', `${where}: no complete response within ${timeoutMs} ms`, { timeoutMs }, { cause: error });
    }
    const cause = (error as { cause?: unknown }).cause;
    const detail = options.signal?.aborted ? 'cancelled' : describeError(cause ?? error);
    throw new UpstreamError('UPSTREAM_UNAVAILABLE', `${where}: request failed: ${detail}`, {}, { cause: error });
  }
}

function applyAuth(auth: OpenApiAuth | undefined, headers: Record<string, string>, url: URL): void {
  if (!auth) return;
  switch (auth.type) {
    case 'bearer':
      headers['authorization'] = `Bearer ${auth.token}`;
      return;
    case 'basic':
      headers['authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      return;
    case 'header':
      headers[auth.name] = auth.value;
      return;
    case 'query':
      url.searchParams.set(auth.name, auth.value);
  }
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const STALE_SOCKET = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * fetch, sent once more when a kept-alive socket turned out closed by the server before any answer
 * (`other side closed`): only for idempotent methods, and not once the call was aborted.
 */
async function send(url: URL, init: RequestInit & { method: string; signal: AbortSignal }): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    if (!IDEMPOTENT.has(init.method.toUpperCase()) || init.signal.aborted || typeof code !== 'string' || !STALE_SOCKET.has(code)) throw error;
    return fetch(url, init);
  }
}

async function readBounded(response: Response, maxBytes: number, where: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const body = await readBoundedBody(response.body, maxBytes, { declaredBytes: Number.isNaN(declared) ? undefined : declared });
  if (!body) throw new UpstreamError('LIMIT_RESULT_SIZE', `${where}: response body larger than maxResponseBytes (${maxBytes} bytes)`, { maxBytes });
  return body;
}

function successResult(bytes: Uint8Array, contentType: string, url: URL): CallToolResult {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (bytes.byteLength === 0) return { content: [], structuredContent: null as unknown as Record<string, unknown> };
  if (isTextual(mediaType)) {
    const text = new TextDecoder().decode(bytes);
    if (isJson(mediaType) || mediaType === '') {
      try {
        // A JSON body of any type is the call's value; the runtime reads structuredContent first.
        return { content: [], structuredContent: JSON.parse(text) as Record<string, unknown> };
      } catch {
        // Not JSON after all: fall through to text.
      }
    }
    return { content: [{ type: 'text', text }] };
  }
  const uri = new URL(url.pathname, url.origin).href; // no query: it may carry the credential
  return { content: [{ type: 'resource', resource: { uri, mimeType: mediaType, blob: Buffer.from(bytes).toString('base64') } }] };
}

function isTextual(mediaType: string): boolean {
  return mediaType === '' || isJson(mediaType) || mediaType.startsWith('text/') || /(xml|javascript|yaml|csv|ndjson|x-www-form-urlencoded)/.test(mediaType);
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}
