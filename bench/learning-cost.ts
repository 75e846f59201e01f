// What learning result types costs (cemcp.types.infer), outside the main bench so it runs alone:
//   npm run build:bench && node dist-bench/bench/learning-cost.js
// (1) CPU per call added by the learning invoker (learning runs after the reply, so this is event
// loop time, not call latency), against the same invoker without it; (2) parsing and learning a
// ~0.9 MB JSON result, the largest kind learned from (1 MiB bound). Prints the figures; no files.
import { performance } from 'node:perf_hooks';
import { Catalog, learnShape } from '../src/catalog/index.js';
import { silentLogger, type ToolInvoker } from '../src/common/index.js';
import { createShapeLearning } from '../src/server/index.js';

const ROUNDS = 5;
const CALLS = 20_000;

const catalog = Catalog.fromSources([{ server: 'everything', tools: [{ name: 'get-resource-links', description: 'Resource links', inputSchema: { type: 'object' } }] }]);
const links = ['Here are 10 resource links', ...Array.from({ length: 10 }, (_, i) => ({ type: 'resource_link', mimeType: 'text/plain', uri: `demo://resource/${i}`, name: `Text Resource ${i}` }))];
const text = JSON.stringify(links);
const plain: ToolInvoker = { callTool: async () => ({ ok: true, text }) };
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function perCallMicros(invoker: ToolInvoker): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) {
    await invoker.callTool('everything', 'get-resource-links', {}, { timeoutMs: 1_000 });
    await tick(); // the learning, queued with setImmediate, runs here
  }
  return ((performance.now() - start) / CALLS) * 1_000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const learning = createShapeLearning({ publish: () => undefined, logger: silentLogger });
  learning.setCatalog(catalog);
  const learned = learning.wrap(plain);
  const without: number[] = [];
  const withLearning: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    without.push(await perCallMicros(plain));
    withLearning.push(await perCallMicros(learned));
  }
  await learning.close();
  const item = (i: number) => ({ id: i, name: `user ${i}`, email: `u${i}@example.com`, createdAt: new Date(1.7e12 + i * 1_000).toISOString(), tags: ['a', 'b'], address: { city: 'X', zip: '12345' }, score: i / 3 });
  const big = JSON.stringify({ items: Array.from({ length: 5_200 }, (_, i) => item(i)), next: 'cursor' });
  const parse: number[] = [];
  const learn: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const value = JSON.parse(big) as unknown;
    const t1 = performance.now();
    learnShape(value);
    parse.push(t1 - t0);
    learn.push(performance.now() - t1);
  }
  const lines = [
    `per call, medians of ${ROUNDS} rounds of ${CALLS.toLocaleString('en-US')} calls (an 11-item result):`,
    `  without learning ${median(without).toFixed(1)} us, with learning ${median(withLearning).toFixed(1)} us, added ${(median(withLearning) - median(without)).toFixed(1)} us of CPU, after each reply`,
    `a ${(Buffer.byteLength(big) / 1e6).toFixed(2)} MB result: JSON.parse ${median(parse).toFixed(1)} ms, learning its shape ${median(learn).toFixed(1)} ms (medians of 15)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`learning-cost: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
