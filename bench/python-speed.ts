// `npm run bench:python`: the Python engine's speed beside the JavaScript engine's, engine level
// (no MCP): a fresh instance running `return 6*7` when runs come back to back (each waits for its
// interpreter to be restored: the warm pool's steady state), the same when a restored instance is
// waiting, and one awaited host call. Prints a markdown table; targets from issue 16.
import { performance } from 'node:perf_hooks';
import { createPythonEngine, createQuickJsEngine, type Engine, type HostBridge, type Limits, type RunRequest } from '../src/sandbox/index.js';
import { percentiles, type Percentiles } from './speed.js';

const LIMITS: Limits = { cpuMs: 10_000, wallMs: 30_000, memoryBytes: 64 * 2 ** 20, stackBytes: 512 * 1024, maxLogBytes: 65_536, maxResultBytes: 1 << 20 };
const bridge: HostBridge = { call: async () => ({ ok: true, json: '{"ok":true}' }) };
const CALLS = 200;
const SAMPLES = Number(process.env['CEMCP_BENCH_SAMPLES'] ?? 15);

interface Language {
  readonly name: string;
  readonly engine: Engine;
  readonly filename: string;
  readonly answer: string;
  readonly calls: (n: number) => string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runOnce(lang: Language, code: string): Promise<{ ms: number; wallMs: number }> {
  const request: RunRequest = { code, filename: lang.filename, api: { gh: ['echo'] }, limits: LIMITS };
  const start = performance.now();
  const out = await lang.engine.run(request, bridge);
  const ms = performance.now() - start;
  if (!out.ok) throw new Error(`${lang.name}: ${out.error.code} ${out.error.message}`);
  return { ms, wallMs: out.stats.wallMs };
}

async function measure(lang: Language): Promise<Record<string, Percentiles>> {
  await runOnce(lang, lang.answer); // the first run waits for the engine to start
  await runOnce(lang, lang.answer);
  const backToBack: number[] = [];
  for (let i = 0; i < SAMPLES; i++) backToBack.push((await runOnce(lang, lang.answer)).ms);
  const waiting: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    await sleep(lang.name === 'Python' ? 2_500 : 50); // the worker restores the next instance meanwhile
    waiting.push((await runOnce(lang, lang.answer)).ms);
  }
  const perCall: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(SAMPLES / 3)); i++) {
    await sleep(lang.name === 'Python' ? 2_500 : 50);
    const none = await runOnce(lang, lang.calls(0));
    await sleep(lang.name === 'Python' ? 2_500 : 50);
    const many = await runOnce(lang, lang.calls(CALLS));
    perCall.push(Math.max(0, many.wallMs - none.wallMs) / CALLS);
  }
  return { backToBack: percentiles(backToBack), waiting: percentiles(waiting), perCall: percentiles(perCall) };
}

async function main(): Promise<void> {
  const languages: Language[] = [
    { name: 'JavaScript', engine: createQuickJsEngine({ poolSize: 1 }), filename: 'program.js', answer: '(async () => 6 * 7)', calls: (n) => `(async () => { for (let i = 0; i < ${n}; i++) await gh.echo({}); return 1 })` },
    { name: 'Python', engine: createPythonEngine({ poolSize: 1 }), filename: 'program.py', answer: 'return 6 * 7', calls: (n) => `for i in range(${n}):\n    await gh.echo({})\nreturn 1` },
  ];
  const rows: string[] = [];
  for (const lang of languages) {
    process.stderr.write(`bench:python: measuring ${lang.name}\n`);
    const r = await measure(lang);
    await lang.engine.close();
    const f = (p: Percentiles | undefined) => (p ? `${p.p50Ms} / ${p.p95Ms}` : '-');
    rows.push(`| ${lang.name} | ${f(r['backToBack'])} | ${f(r['waiting'])} | ${f(r['perCall'])} |`);
  }
  process.stdout.write([
    `Python engine beside JavaScript (ms, p50 / p95; ${SAMPLES} samples; engine level, no MCP)`,
    '',
    '| engine | fresh instance, back to back (target < 250) | restored instance waiting (target < 15) | one awaited host call (target < 0.5) |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:python: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
