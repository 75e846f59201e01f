// What serving a session on a process that does not hold it costs: two gateway front ends in this
// process (each its own GatewayService, as two processes) over one store, the memory store and a
// real redis-server. A session is made on A; B's first request rebuilds it (store read, new
// transport + Server, initialize replayed), its second hits. The ratio decides between routing by
// mcp-session-id with rebuilds on failover and serving every request statelessly (a rebuild each).
// Run: npm run build && npm run build:bench && node dist-bench/bench/cluster-rebuild.js [--sessions N]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Catalog } from '../src/catalog/index.js';
import { silentLogger, type ToolInvoker } from '../src/common/index.js';
import { createPrivacy } from '../src/privacy/index.js';
import { createQuickJsEngine } from '../src/sandbox/index.js';
import { createMemorySessionStore, createRedisSessionStore, createStoreCipher, type SessionStore } from '../src/session/index.js';
import { createMcpServer, createSessionDirectory, GatewayService, serveHttp, type HttpGateway } from '../src/server/index.js';
import { startRedis } from '../test/support/local-servers.js';
import { percentiles, type Percentiles } from './speed.js';

const catalog = Catalog.fromSources([{
  server: 'crm',
  tools: [{ name: 'get_contact', description: 'A contact by id.', inputSchema: { type: 'object', properties: { id: { type: 'number' } }, required: ['id'] } }],
}]);
const invoker: ToolInvoker = { async callTool(_s, _t, args) { return { ok: true, value: { id: (args as { id: number }).id, email: 'ada@example.com' } }; } };
const PROGRAM = 'return (await crm.get_contact({ id: 1 })).email';
const TTL_MS = 10 * 60_000;

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };

async function initialize(url: string): Promise<string> {
  const answer = await fetch(url, {
    method: 'POST', headers: HEADERS,
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'rebuild-bench', version: '1' } } }),
  });
  await answer.text();
  const id = answer.headers.get('mcp-session-id');
  if (!id) throw new Error(`initialize answered ${answer.status} without a session id`);
  await (await fetch(url, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': id }, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();
  return id;
}

/** One request's wall time, failing on anything but a result. */
async function timed(url: string, id: string, body: object): Promise<number> {
  const t = performance.now();
  const answer = await fetch(url, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': id }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, ...body }) });
  const text = await answer.text();
  const ms = performance.now() - t;
  if (answer.status !== 200 || !text.includes('"result"') || text.includes('"isError":true')) throw new Error(`answered ${answer.status}: ${text.slice(0, 300)}`);
  return ms;
}

export interface RebuildFigures {
  readonly store: string;
  readonly listRebuild: Percentiles;
  readonly listHit: Percentiles;
  readonly executeRebuild: Percentiles;
  readonly executeHit: Percentiles;
}

export async function measureRebuild(store: SessionStore, sessions: number): Promise<RebuildFigures> {
  const engine = createQuickJsEngine({ poolSize: 1 });
  const privacy = createPrivacy({ enabled: true, detectors: ['email'], custom: [], servers: {}, maxEntries: 1_000 });
  const limits = {
    cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000,
    maxResultBytes: 100_000, maxToolCalls: 10, toolCallTimeoutMs: 1_000, maxConcurrentCalls: 4, maxToolResultBytes: 50_000,
  };
  const front = async (): Promise<HttpGateway> => {
    const service = new GatewayService(catalog, {
      runtime: { engine, invoker, limits, maxTokens: 1_000 }, inlineApiMaxTokens: 0, logger: silentLogger,
      openPiiSession: () => privacy.openSession(), sessionStore: store,
    });
    const directory = createSessionDirectory(store, { ttlMs: TTL_MS, idleMs: TTL_MS });
    return serveHttp(({ sessionId, principal }) => createMcpServer(service, undefined, { transport: 'http', mcpSessionId: sessionId, principal, sessionTtlMs: TTL_MS }),
      { host: '127.0.0.1', port: 0, directory }, silentLogger);
  };
  const [a, b] = [await front(), await front()];
  const figures = { listRebuild: [] as number[], listHit: [] as number[], executeRebuild: [] as number[], executeHit: [] as number[] };
  const list = { method: 'tools/list' };
  const execute = { method: 'tools/call', params: { name: 'execute', arguments: { code: PROGRAM } } };
  try {
    // Warm both (engine, first requests) before measuring.
    const warm = await initialize(a.url);
    await timed(a.url, warm, execute);
    await timed(b.url, warm, execute);
    for (let i = 0; i < sessions; i++) {
      const forList = await initialize(a.url);
      figures.listRebuild.push(await timed(b.url, forList, list));
      figures.listHit.push(await timed(b.url, forList, list));
      const forRun = await initialize(a.url);
      await timed(a.url, forRun, execute); // the session has data (its PII map) in the store
      figures.executeRebuild.push(await timed(b.url, forRun, execute));
      figures.executeHit.push(await timed(b.url, forRun, execute));
    }
  } finally {
    await Promise.allSettled([a.close(), b.close()]);
    await engine.close();
  }
  return {
    store: store.kind,
    listRebuild: percentiles(figures.listRebuild), listHit: percentiles(figures.listHit),
    executeRebuild: percentiles(figures.executeRebuild), executeHit: percentiles(figures.executeHit),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sessions: { type: 'string', default: '100' } } });
  const sessions = Number(values.sessions);
  const redis = await startRedis();
  const rows: RebuildFigures[] = [];
  try {
    rows.push(await measureRebuild(createMemorySessionStore(), sessions));
    const store = createRedisSessionStore({ url: redis.url, cipher: createStoreCipher([randomBytes(32).toString('base64')]) });
    rows.push(await measureRebuild(store, sessions));
    await store.close();
  } finally {
    await redis.stop();
  }
  const f = (p: Percentiles) => `${p.p50Ms} / ${p.p95Ms}`;
  console.log(`${sessions} sessions each; ms p50 / p95\n| store | tools/list rebuild | tools/list hit | execute rebuild | execute hit |\n|---|---|---|---|---|`);
  for (const r of rows) console.log(`| ${r.store} | ${f(r.listRebuild)} | ${f(r.listHit)} | ${f(r.executeRebuild)} | ${f(r.executeHit)} |`);
}

if (process.argv[1]?.endsWith('cluster-rebuild.js')) await main();
