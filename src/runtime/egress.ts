// The host side of the sandbox's `fetch`: deny by default, an allowlist of origins from config,
// per-origin credentials injected here and never visible to the program, loopback/private/
// link-local addresses refused after DNS resolution (SSRF) unless the origin is listed with
// allowPrivateNetwork, redirects re-checked, bounded time and size; what comes back (body, header
// values, status text) has every configured secret redacted, so an origin that echoes the injected
// credential cannot hand it to the program. Imported by runtime/bridge.ts.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net, { BlockList } from 'node:net';
import { CemcpError, followRedirects, readBoundedBody } from '../common/index.js';
import { createSecretRedactor, headerSecrets, type SecretRedactor } from '../privacy/index.js';

export interface EgressRule {
  /** `https://api.example.com` (scheme, host and port; no path). */
  readonly origin: string;
  /** Headers the host adds to every request to this origin (credentials); the program never sees them. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Let this origin resolve to loopback/private/link-local addresses (e.g. a service on this machine). */
  readonly allowPrivateNetwork?: boolean;
}

export interface EgressPolicy {
  readonly allow: readonly EgressRule[];
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxRedirects: number;
}

export interface EgressRequest {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | null;
}

export interface EgressResponse {
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly redirected: boolean;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Headers a program may not set: the host owns routing, framing and credentials. */
const HOST_OWNED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'upgrade', 'proxy-authorization', 'keep-alive', 'te', 'trailer']);

const PRIVATE = new BlockList();
for (const [net4, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  PRIVATE.addSubnet(net4, prefix, 'ipv4');
}
for (const [net6, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  PRIVATE.addSubnet(net6, prefix, 'ipv6');
}

/** True for loopback, private, link-local (cloud metadata), CGNAT, multicast and unspecified addresses. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  const family = net.isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface Egress {
  request(request: EgressRequest, signal?: AbortSignal): Promise<EgressResponse>;
}

/** `secrets`: the gateway's redactor; the rules' own header values are always added to it. */
export function createEgress(policy: EgressPolicy, secrets?: SecretRedactor): Egress {
  const rules = new Map(policy.allow.map((rule) => [new URL(rule.origin).origin, rule]));
  const redactor = secrets ?? createSecretRedactor(policy.allow.flatMap((rule) => headerSecrets(rule.headers)));
  return {
    async request(request, signal) {
      const method = (request.method ?? 'GET').toUpperCase();
      if (!METHODS.has(method)) throw denied(`method ${method} is not allowed`);
      const deadline = Date.now() + policy.timeoutMs;
      // Every hop, the first included, is checked (scheme, credentials, allowlist) before it is sent.
      const outcome = await followRedirects({ url: parseUrl(request.url), method, body: request.body ?? undefined }, {
        maxRedirects: policy.maxRedirects,
        send: (hop) => {
          checkUrl(hop.url);
          const rule = rules.get(hop.url.origin);
          if (!rule) throw denied(`${hop.url.origin} is not in cemcp.fetch.allow`);
          return send(hop.url, hop.method, headersFor(request.headers, rule), hop.body, rule, policy, deadline, signal);
        },
        statusOf: (response) => response.status,
        locationOf: (response) => response.headers.location,
      });
      if (outcome.kind === 'refused') throw failed(`more than ${policy.maxRedirects} redirects`);
      return redactResponse({ ...outcome.response, url: outcome.request.url.href, redirected: outcome.hops > 0 }, redactor);
    },
  };
}

/** The response a program reads, with secrets redacted from the body, header values, status text and URL. */
function redactResponse(response: EgressResponse, secrets: SecretRedactor): EgressResponse {
  if (secrets.size === 0) return response;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[secrets.redactText(name)] = secrets.redactText(value);
  return {
    ...response,
    statusText: secrets.redactText(response.statusText),
    url: secrets.redactText(response.url),
    headers,
    body: secrets.redactText(response.body),
  };
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw denied('not an absolute URL');
  }
  return checkUrl(url);
}

function checkUrl(url: URL): URL {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw denied(`${url.protocol} URLs are not allowed`);
  if (url.username || url.password) throw denied('credentials in the URL are not allowed');
  return url;
}

function headersFor(fromProgram: Readonly<Record<string, string>> | undefined, rule: EgressRule): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(fromProgram ?? {})) {
    const key = name.toLowerCase();
    if (!HOST_OWNED.has(key) && /^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(key)) headers[key] = String(value).replace(/[\r\n]/g, ' ');
  }
  for (const [name, value] of Object.entries(rule.headers ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}

function send(
  url: URL, method: string, headers: Record<string, string>, body: string | undefined, rule: EgressRule,
  policy: EgressPolicy, deadline: number, signal: AbortSignal | undefined,
): Promise<Omit<EgressResponse, 'url' | 'redirected'>> {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(hostname) && isPrivateAddress(hostname) && !rule.allowPrivateNetwork) {
    return Promise.reject(denied(`${url.host} is a private or loopback address`));
  }
  // The check runs on the address actually connected to, so a DNS answer cannot switch it later.
  const lookup: net.LookupFunction = (host, options, callback) => {
    dns.lookup(host, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((a) => isPrivateAddress(a.address));
      if (bad && !rule.allowPrivateNetwork) return callback(denied(`${host} resolves to a private or loopback address`), '', 4);
      const first = list[0];
      if (!first) return callback(failed(`${host} did not resolve`), '', 4);
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      else callback(null, first.address, first.family);
    });
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const timeoutMs = Math.max(1, deadline - Date.now());
    const req = client.request(url, { method, headers, lookup, timeout: timeoutMs, ...(signal ? { signal } : {}) }, (res) => {
      readBoundedBody(res, policy.maxResponseBytes).then((body) => {
        if (!body) {
          req.destroy();
          return reject(failed(`response over ${policy.maxResponseBytes} bytes`));
        }
        const headersOut: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headersOut[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: headersOut, body: body.toString('utf8') });
      }, (error: Error) => reject(error instanceof CemcpError ? error : failed(error.message)));
    });
    const timer = setTimeout(() => req.destroy(failed(`no complete answer within ${policy.timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(failed(`no complete answer within ${policy.timeoutMs} ms`)));
    req.on('error', (error) => reject(error instanceof CemcpError ? error : failed(error.message)));
    req.end(body);
  });
}

function denied(why: string): CemcpError {
  return new CemcpError('EGRESS_DENIED', `fetch refused: ${why}`);
}

function failed(why: string): CemcpError {
  return new CemcpError('EGRESS_FAILED', `fetch failed: ${why}`);
}
