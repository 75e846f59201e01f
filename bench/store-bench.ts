// What a Redis session store adds to execute: two `cemcp serve --http` gateways in the same run, one
// on the in-memory store and one on a real redis-server (loopback, values encrypted), one official
// SDK client each, the one-call program run on both in turn (a slow stretch of the machine falls on
// both alike). Also the cost of sealing and opening a session's PII map (AES-256-GCM) alone.
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Redis } from 'ioredis';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createMemorySessionStore, createRedisSessionStore, createStoreCipher, type SessionStore } from '../src/session/index.js';
import { startRedis } from '../test/support/local-servers.js';
import { startHttp } from './concurrency.js';
import type { StdioCommand } from './sessions.js';
import { ONE_CALL_PROGRAM, percentiles, type Percentiles } from './speed.js';

export interface StoreBenchResult {
  readonly memory: Percentiles;
  readonly redis: Percentiles;
  /** A run's own store work alone, in this process: touch and the PII map's revision at once. */
  readonly storeWorkMemory: Percentiles;
  readonly storeWorkRedis: Percentiles;
  /** Sealing then opening a PII map of `piiEntries` entries (JSON of `piiBytes`), in microseconds. */
  readonly sealOpenMicros: Percentiles;
  readonly piiEntries: number;
  readonly piiBytes: number;
  /** Redis commands one execute sends, by command (INFO commandstats over `COUNTED_RUNS` runs; a script's own commands are listed too). */
  readonly commandsPerExecute: Readonly<Record<string, number>>;
}

const COUNTED_RUNS = 50;

/** The result, or why it was not measured (no redis-server on this machine). */
export type StoreBenchOutcome = StoreBenchResult | { readonly notMeasured: string };

function writeConfig(dir: string, name: string, crm: StdioCommand, store: Record<string, unknown>): string {
  const file = path.join(dir, `store-${name}.json`);
  writeFileSync(file, JSON.stringify({ mcpServers: { crm }, cemcp: { store, audit: { dir: path.join(dir, `audit-store-${name}`) } } }, null, 2));
  chmodSync(file, 0o600);
  return file;
}

export async function measureStores(cliPath: string, dir: string, crm: StdioCommand, iterations = 200): Promise<StoreBenchOutcome> {
  let redis;
  try {
    redis = await startRedis();
  } catch (error) {
    return { notMeasured: error instanceof Error ? error.message : String(error) };
  }
  const stops: (() => void)[] = [];
  const clients: Client[] = [];
  try {
    const env = { REDIS_URL: redis.url, CEMCP_STORE_KEY: randomBytes(32).toString('base64') };
    const memoryUrl = await startHttp(cliPath, writeConfig(dir, 'memory', crm, { type: 'memory' }), {});
    stops.push(memoryUrl.stop);
    const redisUrl = await startHttp(cliPath, writeConfig(dir, 'redis', crm, { type: 'redis', url: '${REDIS_URL}', encryptionKeys: ['${CEMCP_STORE_KEY}'] }), env);
    stops.push(redisUrl.stop);
    const run = async (url: string) => {
      const client = new Client({ name: 'cemcp-bench-store', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      clients.push(client);
      return async () => {
        const start = performance.now();
        const result = (await client.callTool({ name: 'execute', arguments: { code: ONE_CALL_PROGRAM } })) as CallToolResult;
        const ms = performance.now() - start;
        if (result.isError) throw new Error(`bench: execute failed on the ${url === redisUrl.url ? 'redis' : 'memory'} store: ${JSON.stringify(result.content).slice(0, 300)}`);
        return ms;
      };
    };
    const onMemory = await run(memoryUrl.url);
    const onRedis = await run(redisUrl.url);
    for (let i = 0; i < 20; i++) {
      await onMemory();
      await onRedis();
    }
    const memory: number[] = [];
    const redisTimes: number[] = [];
    for (let i = 0; i < iterations; i++) {
      // Alternating which goes first, never at once: the two gateways share the machine's cores.
      if (i % 2 === 0) {
        memory.push(await onMemory());
        redisTimes.push(await onRedis());
      } else {
        redisTimes.push(await onRedis());
        memory.push(await onMemory());
      }
    }
    const commandsPerExecute = await countCommands(redis.url, onRedis);
    const cipher = createStoreCipher([env.CEMCP_STORE_KEY]);
    const storeWorkRedis = await measureStoreWork(createRedisSessionStore({ url: redis.url, cipher, keyPrefix: 'bench:' }), iterations * 5);
    const storeWorkMemory = await measureStoreWork(createMemorySessionStore(), iterations * 5);
    return { memory: percentiles(memory), redis: percentiles(redisTimes), storeWorkMemory, storeWorkRedis, ...measureSealOpen(iterations), commandsPerExecute };
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    stops.forEach((stop) => stop());
    await redis.stop();
  }
}

/** What Session does around a run that changed nothing: touch and revision together. */
async function measureStoreWork(store: SessionStore, times: number): Promise<Percentiles> {
  try {
    await store.set('bench-session', 'pii', { version: 1, tokens: {} });
    const samples: number[] = [];
    for (let i = 0; i < times + 50; i++) {
      const start = performance.now();
      await Promise.all([store.touch('bench-session', 60_000), store.revision('bench-session', 'pii')]);
      if (i >= 50) samples.push(performance.now() - start);
    }
    return percentiles(samples);
  } finally {
    await store.close();
  }
}

/** The commands Redis ran for `COUNTED_RUNS` executes (INFO commandstats before and after), per execute. */
async function countCommands(url: string, execute: () => Promise<number>): Promise<Record<string, number>> {
  const admin = new Redis(url);
  try {
    const before = parseCommandStats(await admin.info('commandstats'));
    for (let i = 0; i < COUNTED_RUNS; i++) await execute();
    const after = parseCommandStats(await admin.info('commandstats'));
    const perRun: Record<string, number> = {};
    for (const [command, calls] of Object.entries(after)) {
      const added = calls - (before[command] ?? 0) - (command === 'info' ? 1 : 0);
      if (added > 0) perRun[command] = Math.round((added / COUNTED_RUNS) * 100) / 100;
    }
    return perRun;
  } finally {
    admin.disconnect();
  }
}

function parseCommandStats(text: string): Record<string, number> {
  const stats: Record<string, number> = {};
  for (const match of text.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) stats[match[1]!] = Number(match[2]);
  return stats;
}

/** Sealing and opening a PII map as a session stores it at the end of a run and reads it at the next. */
function measureSealOpen(iterations: number): Pick<StoreBenchResult, 'sealOpenMicros' | 'piiEntries' | 'piiBytes'> {
  const cipher = createStoreCipher([randomBytes(32).toString('base64')]);
  const entries = 100;
  const map = Object.fromEntries(Array.from({ length: entries }, (_, i) => [`[EMAIL_${i + 1}]`, `person.number${i}@example.com`]));
  const text = JSON.stringify({ version: 1, tokens: map });
  const samples: number[] = [];
  for (let i = 0; i < iterations * 5; i++) {
    const start = performance.now();
    cipher.open(cipher.seal(text, 'http-abc\npii'), 'http-abc\npii');
    samples.push((performance.now() - start) * 1_000);
  }
  return { sealOpenMicros: percentiles(samples.slice(iterations)), piiEntries: entries, piiBytes: Buffer.byteLength(text) };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

export function renderStoreSection(outcome: StoreBenchOutcome): string[] {
  const head = ['## Session store: in memory and Redis, side by side', ''];
  if ('notMeasured' in outcome) return [...head, `Not measured: ${outcome.notMeasured}`];
  const r = outcome;
  return [
    ...head,
    'Two `cemcp serve --http` gateways in the same run, one on each store (Redis: a local redis-server on loopback, every value AES-256-GCM encrypted), one client each; the one-call program runs on both in turn. A run touches the session, checks its PII map\'s revision, and writes the map back when it changed.',
    '',
    '| store | samples | p50 | p95 |',
    '|---|--:|--:|--:|',
    `| memory | ${r.memory.samples} | ${ms(r.memory.p50Ms)} | ${ms(r.memory.p95Ms)} |`,
    `| redis | ${r.redis.samples} | ${ms(r.redis.p50Ms)} | ${ms(r.redis.p95Ms)} |`,
    `| redis - memory | | ${ms(r.redis.p50Ms - r.memory.p50Ms)} | ${ms(r.redis.p95Ms - r.memory.p95Ms)} |`,
    `| redis / memory | | ${(r.redis.p50Ms / Math.max(0.01, r.memory.p50Ms)).toFixed(2)}x | ${(r.redis.p95Ms / Math.max(0.01, r.memory.p95Ms)).toFixed(2)}x |`,
    '',
    `Redis commands per execute (INFO commandstats over ${COUNTED_RUNS} runs; a script's own commands listed too): ${Object.entries(r.commandsPerExecute).map(([c, n]) => `${c} ${n}`).join(', ')}.`,
    '',
    `The store work of one run alone, in process (touch and the PII map's revision at once: one round trip): memory ${r.storeWorkMemory.p50Ms.toFixed(3)} ms p50; Redis ${r.storeWorkRedis.p50Ms.toFixed(3)} ms p50, ${ms(r.storeWorkRedis.p95Ms)} p95. A gateway busy running programs on a loaded machine waits longer for each reply than this idle loop does, which is most of the difference above.`,
    '',
    `Sealing and opening a ${r.piiEntries}-entry PII map (${r.piiBytes.toLocaleString('en-US')} bytes of JSON): ${r.sealOpenMicros.p50Ms.toFixed(1)} µs p50, ${r.sealOpenMicros.p95Ms.toFixed(1)} µs p95.`,
  ];
}
