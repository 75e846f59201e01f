// What the out-of-loop isolation costs: execute latency of a trivial program and of a program
// making 100 tool calls, through the worker-thread engine (as served) and through the same
// QuickJS run inline on the main thread (the baseline), in one process, one run. In-process
// tools answer at once, so the figures are the sandbox's and the bridge's own.
import { Catalog } from '../src/catalog/index.js';
import type { ToolInvoker } from '../src/common/index.js';
import { executeProgram, type RuntimeOptions } from '../src/runtime/index.js';
import { BENCH_LIMITS } from './run-limits.js';
import { createInlineQuickJsEngine, createQuickJsEngine, type Engine } from '../src/sandbox/index.js';
import { percentiles } from './speed.js';

export interface IsolationRow {
  readonly program: string;
  readonly runs: number;
  readonly workerP50Ms: number;
  readonly workerP95Ms: number;
  readonly inlineP50Ms: number;
  readonly inlineP95Ms: number;
}


const catalog = Catalog.fromSources([{
  server: 'local',
  tools: [{ name: 'echo', description: 'Echoes its argument', inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } }],
}]);

const invoker: ToolInvoker = {
  async callTool(_server, _tool, args) {
    return { ok: true, value: args };
  },
};

const PROGRAMS = [
  { name: 'return 6 * 7', code: 'return 6 * 7;', runs: 300 },
  { name: '100 sequential tool calls', code: 'let s = 0;\nfor (let i = 0; i < 100; i++) s += (await local.echo({ n: i })).n;\nreturn s;', runs: 40 },
] as const;

export async function measureIsolationCost(): Promise<IsolationRow[]> {
  const worker = createQuickJsEngine({ poolSize: 1 });
  const inline = createInlineQuickJsEngine();
  try {
    const rows: IsolationRow[] = [];
    for (const program of PROGRAMS) {
      // Interleaved, so both engines see the same machine conditions.
      const workerTimes: number[] = [];
      const inlineTimes: number[] = [];
      for (let i = 0; i < program.runs + 10; i++) {
        const w = await timeRun(worker, program.code);
        const n = await timeRun(inline, program.code);
        if (i >= 10) {
          workerTimes.push(w);
          inlineTimes.push(n);
        }
      }
      const workerStats = percentiles(workerTimes);
      const inlineStats = percentiles(inlineTimes);
      rows.push({
        program: program.name,
        runs: program.runs,
        workerP50Ms: workerStats.p50Ms,
        workerP95Ms: workerStats.p95Ms,
        inlineP50Ms: inlineStats.p50Ms,
        inlineP95Ms: inlineStats.p95Ms,
      });
    }
    return rows;
  } finally {
    await Promise.all([worker.close(), inline.close()]);
  }
}

async function timeRun(engine: Engine, code: string): Promise<number> {
  const options: RuntimeOptions = { engine, invoker, limits: BENCH_LIMITS, maxTokens: 1_000 };
  const started = performance.now();
  const result = await executeProgram(code, catalog, options);
  if (!result.ok) throw new Error(`isolation bench program failed: ${result.text}`);
  return performance.now() - started;
}

/** The rows as a Markdown table with the worker/inline ratio. */
export function renderIsolationTable(rows: readonly IsolationRow[]): string {
  const lines = [
    '| program | runs | worker p50 / p95 (ms) | inline p50 / p95 (ms) | ratio p50 |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.program} | ${r.runs} | ${r.workerP50Ms.toFixed(2)} / ${r.workerP95Ms.toFixed(2)} | ${r.inlineP50Ms.toFixed(2)} / ${r.inlineP95Ms.toFixed(2)} | ${(r.workerP50Ms / r.inlineP50Ms).toFixed(2)}x |`),
  ];
  return lines.join('\n');
}
