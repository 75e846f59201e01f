// A bounded soak of the deployment of docs/deploy.md (loopback only): redis-server, three
// `cemcp serve --http` processes and HAProxy hashing on mcp-session-id. Sessions loop on a program
// that counts in `state`, restores the PII token the previous run made (searching server-memory
// with it: found only if the upstream got the real address) and makes a new one. Every
// `--kill-every` one process is killed (SIGKILL) and started again. Counts lost sessions (404, or
// a count that went back) and tokens that failed to restore. Not in CI.
// Run: npm run build && npm run build:bench && node dist-bench/bench/cluster-soak.js [--minutes 10] [--sessions 20]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startGatewayCluster, type GatewayCluster } from '../test/support/gateway-cluster.js';
import { percentiles, type Percentiles } from './speed.js';

const PER_SESSION = 5;
const emailOf = (session: number, k: number) => `s${session}k${k}@soak.example`;

/** Run n of a session: check the count and the previous token, make the next token. */
const program = (session: number, n: number) => `
const count = (await state.get('count')) ?? 0;
const previous = await state.get('token');
const found = previous ? (await memory.search_nodes({ query: previous.token })).entities.map((e) => e.name) : [];
const entity = (await memory.open_nodes({ names: ['s${session}-e${n % PER_SESSION}'] })).entities[0];
await state.set('token', { token: entity.observations[0], name: entity.name });
await state.set('count', count + 1);
return { count, previous: previous?.name ?? null, found, token: entity.observations[0] };`;

export interface SoakResult {
  readonly minutes: number;
  readonly sessions: number;
  readonly kills: number;
  readonly runs: number;
  /** Sessions refused (404) or whose count went wrong at least once: their data did not survive. */
  readonly lostSessions: number;
  /** A token made in one run that the next run's upstream call did not get restored. */
  readonly failedRestores: number;
  readonly restores: number;
  /** Requests in flight on a process when it was killed (the client sees them fail; the next run goes on). */
  readonly interrupted: number;
  readonly otherErrors: number;
  readonly firstError?: string;
  readonly execute: Percentiles;
  /** Runs served by another process than the one before (rebuilds after a kill). */
  readonly moves: number;
}

interface Loop {
  readonly client: Client;
  /** The process that answered the last POST (HAProxy's x-cemcp-backend). */
  readonly seen: { backend: string };
  count: number;
  /** The count is unknown after an interrupted run (it may or may not have been written). */
  unsure: boolean;
}

export async function soak(minutes: number, sessions: number, killEveryMs: number, restartAfterMs: number): Promise<SoakResult> {
  const seed = Array.from({ length: sessions }, (_, s) => Array.from({ length: PER_SESSION }, (__, k) => ({ name: `s${s}-e${k}`, entityType: 'soak', observations: [emailOf(s, k)] }))).flat();
  const cluster: GatewayCluster = await startGatewayCluster({ processes: 3, frontends: [{ name: 'hashed', balance: 'hash' }], memorySeed: seed });
  const tally = { runs: 0, failedRestores: 0, restores: 0, interrupted: 0, otherErrors: 0, kills: 0, moves: 0 };
  const lost = new Set<number>();
  let firstError: string | undefined;
  const note = (kind: keyof typeof tally | 'lost', why: string, session = -1) => {
    if (kind === 'lost') lost.add(session);
    else tally[kind]++;
    if (kind !== 'interrupted') firstError ??= why;
  };
  const latencies: number[] = [];
  const deadline = performance.now() + minutes * 60_000;
  const loops: Loop[] = [];
  try {
    for (let s = 0; s < sessions; s++) {
      const seen = { backend: '?' };
      const noting = async (input: string | URL, init?: RequestInit) => {
        const response = await fetch(input, init);
        if (init?.method === 'POST') seen.backend = response.headers.get('x-cemcp-backend') ?? '?';
        return response;
      };
      const client = new Client({ name: `soak-${s}`, version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(cluster.urls.hashed!), { fetch: noting }));
      loops.push({ client, seen, count: 0, unsure: false });
    }
    const killer = (async () => {
      // Kills on a fixed cadence from the start (at 1, 2, 3 ... minutes), whatever a restart takes.
      const started = performance.now();
      for (let victim = 0; started + (victim + 1) * killEveryMs < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, started + (victim + 1) * killEveryMs - performance.now()));
        const gateway = cluster.gateways[victim++ % cluster.gateways.length]!;
        await gateway.kill();
        tally.kills++;
        await new Promise((resolve) => setTimeout(resolve, restartAfterMs));
        await gateway.start();
      }
    })();
    await Promise.all(loops.map(async (loop, s) => {
      let previousBackend = '';
      let made: string | undefined;
      while (performance.now() < deadline) {
        const t = performance.now();
        let result: CallToolResult;
        try {
          result = (await loop.client.callTool({ name: 'execute', arguments: { code: program(s, loop.count) } })) as CallToolResult;
        } catch (error) {
          const text = String(error);
          // 404: the session is gone. Anything else here is the request dying with its process.
          if (/\b404\b|session not found/i.test(text)) note('lost', `session ${s}: ${text}`, s);
          else note('interrupted', text);
          loop.unsure = true;
          made = undefined;
          await new Promise((resolve) => setTimeout(resolve, 200));
          continue;
        }
        latencies.push(performance.now() - t);
        tally.runs++;
        const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
        if (result.isError) {
          note('otherErrors', `session ${s}: ${text.slice(0, 300)}`);
          loop.unsure = true;
          made = undefined;
          continue;
        }
        const answer = JSON.parse(text) as { count: number; previous: string | null; found: string[]; token: string };
        const expected = loop.count;
        if (!loop.unsure && answer.count !== expected) note('lost', `session ${s}: count ${answer.count}, expected ${expected}`, s);
        if (loop.unsure && (answer.count < expected - 1 || answer.count > expected + 1)) note('lost', `session ${s}: count ${answer.count} after an interrupted run, expected about ${expected}`, s);
        if (made && answer.previous) {
          tally.restores++;
          if (!answer.found.includes(answer.previous)) note('failedRestores', `session ${s}: ${made} (${answer.previous}) found ${JSON.stringify(answer.found)}`);
        }
        if (!/^\[EMAIL_\d+\]$/.test(answer.token)) note('otherErrors', `session ${s}: expected a token, got ${answer.token}`);
        made = answer.token;
        loop.count = answer.count + 1;
        loop.unsure = false;
        if (previousBackend && loop.seen.backend !== previousBackend) tally.moves++;
        previousBackend = loop.seen.backend;
      }
    }));
    await killer;
  } finally {
    await Promise.allSettled(loops.map((l) => l.client.close()));
    await cluster.close();
  }
  return { minutes, sessions, ...tally, lostSessions: lost.size, ...(firstError ? { firstError } : {}), execute: percentiles(latencies) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    minutes: { type: 'string', default: '10' }, sessions: { type: 'string', default: '20' },
    'kill-every': { type: 'string', default: '60' }, 'restart-after': { type: 'string', default: '5' },
  } });
  const result = await soak(Number(values.minutes), Number(values.sessions), Number(values['kill-every']) * 1_000, Number(values['restart-after']) * 1_000);
  console.log(JSON.stringify(result, null, 2));
  if (result.lostSessions || result.failedRestores) process.exitCode = 1;
}

if (process.argv[1]?.endsWith('cluster-soak.js')) await main();
