// /healthz, /readyz and /metrics as serveHttp serves them: readiness says which part is not ready
// (catalog, store, draining) without names or error texts; /metrics asks for its bearer token; the
// metrics observer counts runs, codes and tool calls, read back by parsing the exposition text.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../common/index.js';
import type { ExecuteResult } from '../runtime/index.js';
import { createMemorySessionStore, type SessionStore } from '../session/index.js';
import { serveHttp, type HttpGateway } from './http.js';
import { createGatewayMetrics, type GatewayMetrics } from './metrics.js';
import { createOpsRoutes, type ReadinessSources } from './ops-routes.js';
import type { UpstreamStatusView } from './upstream-status.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
});

async function serve(routes: ReturnType<typeof createOpsRoutes>): Promise<string> {
  const http: HttpGateway = await serveHttp(() => new Server({ name: 't', version: '1' }, { capabilities: {} }), { host: '127.0.0.1', port: 0, routes }, silentLogger);
  closers.push(() => http.close());
  return http.url.replace(/\/mcp$/, '');
}

function sources(overrides: Partial<ReadinessSources> = {}): ReadinessSources {
  const store = createMemorySessionStore();
  closers.push(() => store.close());
  return { catalogLoaded: () => true, upstreams: () => [{ name: 'crm-secret-name', state: 'ready' }], store, draining: () => false, logger: silentLogger, ...overrides };
}

/** `name{labels} value` lines of the exposition text, by series. */
function parseMetrics(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

describe('/healthz and /readyz', () => {
  it('answers 200 on /healthz and /readyz when the catalog is loaded and the store answers', async () => {
    const base = await serve(createOpsRoutes({ readiness: sources() }));
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', catalog: { ok: true, ready: 1, connecting: 0, failed: 0 }, store: { ok: true, kind: 'memory' }, draining: false });
    expect((await fetch(`${base}/readyz`, { method: 'POST' })).status).toBe(405);
  });

  it('answers 503 naming each part not ready: catalog still loading, store down, draining; no names or error texts', async () => {
    const broken: SessionStore = { ...createMemorySessionStore(), kind: 'redis', ping: () => Promise.reject(new Error('connect ECONNREFUSED redis://:hunter2@10.0.0.5')) };
    const warnings: string[] = [];
    const logger: Logger = { log: (severity, message) => { if (severity === 'warning') warnings.push(message); } };
    let draining = false;
    const upstreams: UpstreamStatusView[] = [{ name: 'crm-secret-name', state: 'connecting' }, { name: 'b', state: 'failed', error: 'boom' }];
    const base = await serve(createOpsRoutes({ readiness: sources({ catalogLoaded: () => false, upstreams: () => upstreams, store: broken, draining: () => draining, logger }) }));
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      status: 'not ready', notReady: ['catalog', 'store'],
      catalog: { ok: false, ready: 0, connecting: 1, failed: 1 }, store: { ok: false, kind: 'redis', detail: 'a ping failed' }, draining: false,
    });
    expect(text).not.toMatch(/hunter2|crm-secret-name|ECONNREFUSED|boom/);
    // The reason goes to the log, once per outage.
    await fetch(`${base}/readyz`);
    expect(warnings).toEqual(['readyz: the session store (redis) is not reachable: connect ECONNREFUSED redis://:hunter2@10.0.0.5']);
    draining = true;
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ notReady: ['catalog', 'store', 'draining'], draining: true });
  });

  it('counts a store that does not answer a ping in time as unreachable', async () => {
    const hung: SessionStore = { ...createMemorySessionStore(), ping: () => new Promise<void>(() => undefined) };
    const base = await serve(createOpsRoutes({ readiness: sources({ store: hung, pingTimeoutMs: 50 }) }));
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ notReady: ['store'], store: { ok: false, detail: 'no answer to a ping in time' } });
  });
});

describe('/metrics', () => {
  const run = (result: Partial<ExecuteResult>, durationMs = 40) => ({
    result: { ok: true, text: '', tokensIn: 1, tokensOut: 1, cut: false, calls: [], ...result } as ExecuteResult, durationMs,
  });
  const call = (server: string, fate: 'ok' | 'error' | 'refused') => ({ call: `${server}.t`, server, tool: 't', ok: fate === 'ok', fate, durationMs: 1, argumentBytes: 2, resultBytes: 3 });

  async function metricsOf(upstreams: UpstreamStatusView[]): Promise<GatewayMetrics> {
    return createGatewayMetrics({ upstreams: () => upstreams, sessions: () => 3, runsInFlight: () => 1, draining: () => false });
  }

  it('counts runs by outcome and code, their latency, and tool calls by upstream and fate; reads the gauges at scrape', async () => {
    const metrics = await metricsOf([{ name: 'crm', state: 'ready' }, { name: 'slow', state: 'failed' }]);
    const base = await serve(createOpsRoutes({ readiness: sources(), metrics }));
    const before = parseMetrics(await (await fetch(`${base}/metrics`)).text());
    expect(before.get('cemcp_runs_total')).toBeUndefined();
    metrics.observeRun(run({ calls: [call('crm', 'ok'), call('crm', 'ok'), call('crm', 'error')], tally: { counts: { ok: 2, error: 1, refused: 3, dropped: 0, cancelled: 0 }, refusedByCode: { LIMIT_TOOL_CALLS: 3 } } }));
    metrics.observeRun(run({ ok: false, errorCode: 'SANDBOX_TIMEOUT' }, 2_500));
    metrics.observeRun(run({ ok: false, errorCode: 'SANDBOX_TIMEOUT' }, 2_500));
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = parseMetrics(await response.text());
    expect(after.get('cemcp_runs_total{outcome="ok",code="none"}')).toBe(1);
    expect(after.get('cemcp_runs_total{outcome="error",code="SANDBOX_TIMEOUT"}')).toBe(2);
    expect(after.get('cemcp_execute_duration_seconds_count{outcome="error"}')).toBe(2);
    expect(after.get('cemcp_execute_duration_seconds_bucket{le="2.5",outcome="error"}')).toBe(2);
    expect(after.get('cemcp_execute_duration_seconds_bucket{le="1",outcome="error"}')).toBe(0);
    expect(after.get('cemcp_tool_calls_total{upstream="crm",fate="ok"}')).toBe(2);
    expect(after.get('cemcp_tool_calls_total{upstream="crm",fate="error"}')).toBe(1);
    expect(after.get('cemcp_tool_calls_total{upstream="(unrecorded)",fate="refused"}')).toBe(3);
    expect(after.get('cemcp_upstream_state{upstream="crm",state="ready"}')).toBe(1);
    expect(after.get('cemcp_upstream_state{upstream="slow",state="ready"}')).toBe(0);
    expect(after.get('cemcp_upstream_state{upstream="slow",state="failed"}')).toBe(1);
    expect(after.get('cemcp_sessions_live')).toBe(3);
    expect(after.get('cemcp_runs_in_flight')).toBe(1);
    expect(after.get('cemcp_draining')).toBe(0);
    expect(after.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('asks for the bearer token when one is configured, and keeps error-code labels bounded', async () => {
    const metrics = await metricsOf([]);
    const base = await serve(createOpsRoutes({ readiness: sources(), metrics, metricsToken: 'a-long-random-metrics-token' }));
    const none = await fetch(`${base}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="cemcp-metrics"');
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    for (let i = 0; i < 150; i++) metrics.observeRun(run({ ok: false, errorCode: `UPSTREAM_CODE_${i}` }));
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer a-long-random-metrics-token' } });
    expect(ok.status).toBe(200);
    const series = parseMetrics(await ok.text());
    const codes = [...series.keys()].filter((k) => k.startsWith('cemcp_runs_total{'));
    expect(codes).toHaveLength(101);
    expect(series.get('cemcp_runs_total{outcome="error",code="other"}')).toBe(50);
  });
});
