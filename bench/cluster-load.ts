// 200 sessions at once over the deployment of docs/deploy.md: one redis-server, three
// `cemcp serve --http` processes (real server-memory upstream) and HAProxy hashing on
// mcp-session-id. Every session connects with the official SDK client and runs a one-call program
// at the same moment; reports errors and latency p50/p95 (initialize, execute). Not in CI.
// Run: npm run build && npm run build:bench && node dist-bench/bench/cluster-load.js [--sessions 200] [--processes 3] [--redis-timeout-ms N]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startGatewayCluster } from '../test/support/gateway-cluster.js';
import { percentiles, type Percentiles } from './speed.js';

export const LOAD_PROGRAM = "return (await memory.search_nodes({ query: 'seed-7' })).entities.length";

export interface ClusterLoadResult {
  readonly sessions: number;
  readonly processes: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly initialize: Percentiles;
  readonly execute: Percentiles;
  /** Sessions each process served (from HAProxy's x-cemcp-backend). */
  readonly perProcess: Readonly<Record<string, number>>;
  readonly wallMs: number;
}

export async function measureClusterLoad(sessions: number, processes: number, redisCommandTimeoutMs?: number): Promise<ClusterLoadResult> {
  const seed = Array.from({ length: 20 }, (_, i) => ({ name: `seed-${i}`, entityType: 'bench', observations: [`note ${i}`] }));
  const cluster = await startGatewayCluster({
    processes, frontends: [{ name: 'hashed', balance: 'hash' }], memorySeed: seed,
    cemcp: { sessions: { maxSessions: sessions } }, ...(redisCommandTimeoutMs ? { redisCommandTimeoutMs } : {}),
  });
  const clients: Client[] = [];
  const initLatencies: number[] = [];
  const runLatencies: number[] = [];
  const perProcess: Record<string, number> = {};
  let errors = 0;
  let firstError: string | undefined;
  const fail = (why: string) => {
    errors++;
    firstError ??= why;
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: sessions }, async (_, i) => {
      let backend = '?';
      const noting = async (input: string | URL, init?: RequestInit) => {
        const response = await fetch(input, init);
        backend = response.headers.get('x-cemcp-backend') ?? backend;
        return response;
      };
      const client = new Client({ name: `cluster-load-${i}`, version: '1.0.0' });
      const t0 = performance.now();
      try {
        await client.connect(new StreamableHTTPClientTransport(new URL(cluster.urls.hashed!), { fetch: noting }));
        clients.push(client);
        initLatencies.push(performance.now() - t0);
      } catch (error) {
        return fail(`session ${i} did not connect: ${describe(error)}`);
      }
      const t1 = performance.now();
      try {
        const result = (await client.callTool({ name: 'execute', arguments: { code: LOAD_PROGRAM } })) as CallToolResult;
        runLatencies.push(performance.now() - t1);
        const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
        if (result.isError || text !== '1') fail(`session ${i}: ${text.slice(0, 300)}`);
        perProcess[backend] = (perProcess[backend] ?? 0) + 1;
      } catch (error) {
        fail(`session ${i}: ${describe(error)}`);
      }
    }));
    return {
      sessions, processes, errors, ...(firstError ? { firstError } : {}),
      initialize: percentiles(initLatencies), execute: percentiles(runLatencies), perProcess, wallMs: Math.round(performance.now() - started),
    };
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    await cluster.close();
  }
}

/** The error and what caused it (fetch's "fetch failed" says why only in its cause). */
function describe(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause ? `${String(error)} (${String(cause)})` : String(error);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sessions: { type: 'string', default: '200' }, processes: { type: 'string', default: '3' }, 'redis-timeout-ms': { type: 'string' } } });
  const timeout = values['redis-timeout-ms'] ? Number(values['redis-timeout-ms']) : undefined;
  const result = await measureClusterLoad(Number(values.sessions), Number(values.processes), timeout);
  console.log(JSON.stringify(result, null, 2));
  if (result.errors) process.exitCode = 1;
}

if (process.argv[1]?.endsWith('cluster-load.js')) await main();
