// The operations routes of `serve --http`, served before authentication (a load balancer probes
// them) and saying nothing secret: /healthz (the process is up), /readyz (the catalog is loaded,
// the session store answers, the process is not draining; else 503 saying which) and /metrics
// (Prometheus text, behind its own bearer token when one is configured). Wired by cli/ops-wiring.ts.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeError, type Logger } from '../common/index.js';
import type { SessionStore } from '../session/index.js';
import type { HttpRoute } from './http.js';
import type { GatewayMetrics } from './metrics.js';
import type { UpstreamStatusView } from './upstream-status.js';

export interface ReadinessSources {
  /** True once every upstream connected or failed (the gateway's ready report settled). */
  readonly catalogLoaded: () => boolean;
  readonly upstreams: () => readonly UpstreamStatusView[];
  readonly store: SessionStore;
  readonly draining: () => boolean;
  /** A store that has not answered a ping in this long is not reachable (default 1,000). */
  readonly pingTimeoutMs?: number;
  readonly logger: Logger;
}

export interface OpsRoutesOptions {
  readonly readiness: ReadinessSources;
  /** Absent: no /metrics (cemcp.metrics.enabled false). */
  readonly metrics?: GatewayMetrics;
  /** The bearer token /metrics asks for; absent: anyone who reaches the port may read it. */
  readonly metricsToken?: string;
}

export interface Readiness {
  readonly ready: boolean;
  readonly body: Record<string, unknown>;
}

const DEFAULT_PING_TIMEOUT_MS = 1_000;

export function createOpsRoutes(options: OpsRoutesOptions): Map<string, HttpRoute> {
  const readiness = readinessCheck(options.readiness);
  const routes = new Map<string, HttpRoute>([
    ['/healthz', (req, res) => {
      if (refuseMethod(req, res)) return;
      sendJson(res, 200, { status: 'ok' });
    }],
    ['/readyz', async (req, res) => {
      if (refuseMethod(req, res)) return;
      const { ready, body } = await readiness();
      sendJson(res, ready ? 200 : 503, body);
    }],
  ]);
  const { metrics, metricsToken } = options;
  if (metrics) {
    const tokenHash = metricsToken === undefined ? undefined : sha256(metricsToken);
    routes.set('/metrics', async (req, res) => {
      if (refuseMethod(req, res)) return;
      if (tokenHash && !bearerMatches(req, tokenHash)) {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="cemcp-metrics"' });
        res.end('metrics need the bearer token of cemcp.metrics.token: send Authorization: Bearer <token>\n');
        return;
      }
      const { contentType, text } = await metrics.scrape();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(text);
    });
  }
  return routes;
}

/** Answers whether the process should get traffic, and a body saying what is not ready (counts and kinds only, no names or errors). */
export function readinessCheck(sources: ReadinessSources): () => Promise<Readiness> {
  let storeWasDown = false;
  return async () => {
    const statuses = sources.upstreams();
    const count = (state: UpstreamStatusView['state']) => statuses.filter((s) => s.state === state).length;
    const catalog = { ok: sources.catalogLoaded(), ready: count('ready'), connecting: count('connecting'), failed: count('failed') };
    const pinged = await ping(sources.store, sources.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS);
    // The reason goes to the log (redacted there), not to an unauthenticated probe; once per outage.
    if (!pinged.ok && !storeWasDown) sources.logger.log('warning', `readyz: the session store (${sources.store.kind}) is not reachable: ${pinged.error}`);
    if (pinged.ok && storeWasDown) sources.logger.log('info', `readyz: the session store (${sources.store.kind}) answers again`);
    storeWasDown = !pinged.ok;
    const store = { ok: pinged.ok, kind: sources.store.kind, ...(pinged.ok ? {} : { detail: pinged.timedOut ? 'no answer to a ping in time' : 'a ping failed' }) };
    const draining = sources.draining();
    const ready = catalog.ok && store.ok && !draining;
    const notReady = [...(catalog.ok ? [] : ['catalog']), ...(store.ok ? [] : ['store']), ...(draining ? ['draining'] : [])];
    return { ready, body: { status: ready ? 'ready' : 'not ready', ...(ready ? {} : { notReady }), catalog, store, draining } };
  };
}

async function ping(store: SessionStore, timeoutMs: number): Promise<{ ok: true } | { ok: false; timedOut: boolean; error: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([store.ping().then(() => 'ok' as const), timeout]);
    return answer === 'ok' ? { ok: true } : { ok: false, timedOut: true, error: `no answer in ${timeoutMs} ms` };
  } catch (error) {
    return { ok: false, timedOut: false, error: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}

function refuseMethod(req: IncomingMessage, res: ServerResponse): boolean {
  req.resume();
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: `method ${req.method ?? ''} not allowed: use GET` }));
  return true;
}

function sendJson(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compared as hashes, in constant time: the token's length is not told either. */
function bearerMatches(req: IncomingMessage, tokenHash: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match !== null && timingSafeEqual(sha256(match[1]!), tokenHash);
}
