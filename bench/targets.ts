// The speed and resource targets of issue 12, each as measured in this run against its baseline in
// the same run (a ratio) or as an absolute bound, and whether it is met. Pure; used by the report.
import type { ConcurrencyResult } from './concurrency.js';
import type { MemoryResult } from './memory.js';
import type { Percentiles, SpeedResult } from './speed.js';
import type { StartupResult } from './startup.js';
import type { TypecheckBenchResult } from './typecheck-bench.js';
import type { StoreBenchOutcome } from './store-bench.js';
import { PYTHON_TARGETS, type PythonSpeedResult } from './python-bench.js';

export interface TargetRow {
  readonly name: string;
  /** What was measured, as shown: `3.1x (5.40 / 1.74 ms)`. */
  readonly measured: string;
  readonly target: string;
  /** Undefined when this run did not measure it. */
  readonly met: boolean | undefined;
}

export interface TargetInputs {
  readonly speed: SpeedResult;
  readonly startup?: StartupResult | undefined;
  readonly memory?: MemoryResult | undefined;
  readonly concurrency?: ConcurrencyResult | undefined;
  readonly typecheck?: TypecheckBenchResult | undefined;
  readonly store?: StoreBenchOutcome | undefined;
  readonly python?: PythonSpeedResult | undefined;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

function ratioRow(name: string, ours: Percentiles | undefined, base: Percentiles | undefined, max: number, baseName: string): TargetRow {
  const target = `<= ${max}x ${baseName}`;
  if (!ours || !base || base.p50Ms <= 0) return { name, measured: 'not measured', target, met: undefined };
  const ratio = ours.p50Ms / base.p50Ms;
  return { name, measured: `${ratio.toFixed(2)}x (${ms(ours.p50Ms)} / ${ms(base.p50Ms)} p50)`, target, met: ratio <= max };
}

export function evaluateTargets({ speed: s, startup, memory, concurrency, typecheck, store, python }: TargetInputs): TargetRow[] {
  const rows: TargetRow[] = [
    ratioRow('execute `return 1`', s.trivialExecute, s.directCall, 2, 'a direct call'),
    ratioRow('execute with one call', s.oneCallExecute, s.directCall, 2.5, 'a direct call'),
    ratioRow('100 sequential calls in one program', s.hundredCallExecute, s.hundredDirectSequential, 1.3, 'the client making them'),
    ratioRow('`Promise.all` of 100 calls in one program', s.hundredParallelExecute, s.hundredDirectParallel, 1.5, 'the client doing the same'),
    ratioRow(`a ${((s.bigResultBytes ?? 0) / 1e6).toFixed(0)} MB result counted in code`, s.bigResultExecute, s.bigResultDirect, 2, 'the client receiving and parsing it'),
  ];
  rows.push(startup
    ? { name: 'first tools/list after spawn, no upstreams', measured: `${ms(startup.cemcp.p50Ms)} p50 (${(startup.cemcp.p50Ms / startup.direct.p50Ms).toFixed(1)}x a bare SDK server's ${ms(startup.direct.p50Ms)})`, target: '< 300 ms', met: startup.cemcp.p50Ms < 300 }
    : { name: 'first tools/list after spawn, no upstreams', measured: 'not measured', target: '< 300 ms', met: undefined });
  rows.push(memory
    ? { name: `RSS growth over the second half of ${memory.runs.toLocaleString('en-US')} runs`, measured: `${(100 * memory.growthSecondHalf).toFixed(1)}% (${mib(memory.rssHalfBytes)} -> ${mib(memory.rssEndBytes)}; ${memory.failed} failed)`, target: '< 10%, none failed', met: memory.growthSecondHalf < 0.1 && memory.failed === 0 }
    : { name: 'RSS growth over the second half of 2,000 runs', measured: 'not measured', target: '< 10%', met: undefined });
  rows.push(concurrency
    ? {
      name: `${concurrency.sessions} concurrent HTTP sessions, ${concurrency.runsPerSession} runs each`,
      measured: `${concurrency.errors} errors; execute p50 ${ms(concurrency.execute.p50Ms)}, p95 ${ms(concurrency.execute.p95Ms)} (${(concurrency.execute.p95Ms / Math.max(0.01, s.oneCallExecute.p50Ms)).toFixed(1)}x one session's p50)`,
      target: 'no errors; p95 reported', met: concurrency.errors === 0,
    }
    : { name: '64 concurrent HTTP sessions', measured: 'not measured', target: 'no errors; p95 reported', met: undefined });
  // Issue 13: type-check before run.
  if (typecheck) {
    rows.push({ name: `type-check of a ${typecheck.programLines}-line program, ${typecheck.tools} tools (warm)`, measured: `${ms(typecheck.check.p50Ms)} p50, ${ms(typecheck.check.p95Ms)} p95`, target: '< 60 ms p50', met: typecheck.check.p50Ms < 60 });
    rows.push(ratioRow('execute `return 6 * 7`, type-check warn', typecheck.trivialWarn, typecheck.trivialOff, 1.2, 'checking off'));
  }
  // A saved skill runs inside the caller's run: calling one adds its code to the run and one gate crossing.
  rows.push(ratioRow('the one call through a saved skill', s.oneCallSkillExecute, s.oneCallExecute, 1.3, 'the same call written in the program'));
  // Issue 15: what a shared (Redis, encrypted) session store adds to execute, beside the in-memory one.
  if (store) {
    const name = 'execute with one call: Redis store over the in-memory one';
    rows.push('notMeasured' in store
      ? { name, measured: 'not measured (no redis-server)', target: '< 2 ms more p50', met: undefined }
      : { name, measured: `+${ms(store.redis.p50Ms - store.memory.p50Ms)} p50 (${ms(store.redis.p50Ms)} / ${ms(store.memory.p50Ms)})`, target: '< 2 ms more p50', met: store.redis.p50Ms - store.memory.p50Ms < 2 });
  }
  // Issue 16: the Python engine, engine level, beside the JavaScript engine of the same run.
  if (python) rows.push(...pythonRows(python));
  return rows;
}

function pythonRows({ javascript: js, python: py, poolSize }: PythonSpeedResult): TargetRow[] {
  const bound = (name: string, p: Percentiles | undefined, max: number, besideJs: Percentiles | undefined): TargetRow => ({
    name,
    measured: p ? `${ms(p.p50Ms)} p50, ${ms(p.p95Ms)} p95${besideJs && besideJs.p50Ms > 0 ? ` (${(p.p50Ms / besideJs.p50Ms).toFixed(1)}x JavaScript's ${ms(besideJs.p50Ms)})` : ''}` : 'not measured',
    target: `< ${max} ms p50`,
    met: p ? p.p50Ms < max : undefined,
  });
  return [
    bound(`Python: fresh instance \`return 6*7\`, runs back to back (pool of ${poolSize})`, py.backToBack, PYTHON_TARGETS.backToBackMs, js.backToBack),
    bound('Python: `return 6*7` with a restored instance waiting', py.waiting, PYTHON_TARGETS.waitingMs, js.waiting),
    { ...bound('Python: one awaited host call (timed in the program)', py.perCall, PYTHON_TARGETS.perCallMs, undefined), ...(py.perCall ? { measured: `${bound('', py.perCall, 0, undefined).measured}; mean of 200 ${ms(py.perCallMean.p50Ms)} (JavaScript ${ms(js.perCallMean.p50Ms)})` } : {}) },
  ];
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function renderTargetTable(rows: readonly TargetRow[]): string {
  return [
    '| target | measured (this run) | goal | met |',
    '|---|---|---|:-:|',
    ...rows.map((r) => `| ${r.name} | ${r.measured} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : '**no**'} |`),
  ].join('\n');
}
