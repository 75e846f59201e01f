import { describe, expect, it } from 'vitest';
import type { SpeedResult } from './speed.js';
import { evaluateTargets, renderTargetTable } from './targets.js';

const p = (p50Ms: number, p95Ms = p50Ms * 2) => ({ samples: 10, p50Ms, p95Ms });
const speed: SpeedResult = {
  directCall: p(1), trivialExecute: p(2), oneCallExecute: p(3), oneCallSkillExecute: p(3.3), hundredCallExecute: p(130), perCallInProgramMs: 1.28,
  hundredDirectSequential: p(100), hundredDirectParallel: p(40), hundredParallelExecute: p(61),
  bigResultBytes: 5_000_000, bigResultDirect: p(50), bigResultExecute: p(99),
};

describe('evaluateTargets', () => {
  it('computes each ratio against its baseline of the same run, at p50, and says whether it is met', () => {
    const rows = evaluateTargets({ speed });
    expect(rows.map((r) => [r.name, r.met])).toEqual([
      ['execute `return 1`', true],
      ['execute with one call', false],
      ['100 sequential calls in one program', true],
      ['`Promise.all` of 100 calls in one program', false],
      ['a 5 MB result counted in code', true],
      ['first tools/list after spawn, no upstreams', undefined],
      ['RSS growth over the second half of 2,000 runs', undefined],
      ['64 concurrent HTTP sessions', undefined],
      ['the one call through a saved skill', true],
    ]);
    expect(rows[1]!.measured).toBe('3.00x (3.00 ms / 1.00 ms p50)');
  });

  it('checks start-up, memory and concurrency as bounds, and reports what is missing as not measured', () => {
    const rows = evaluateTargets({
      speed: { ...speed, hundredDirectParallel: undefined },
      startup: { cemcp: p(290), direct: p(100) },
      memory: { runs: 2_000, failed: 0, rssStartBytes: 100 << 20, rssHalfBytes: 120 << 20, rssEndBytes: 133 << 20, growthSecondHalf: 0.1083 },
      concurrency: { sessions: 64, runsPerSession: 5, errors: 0, execute: p(40, 95), wallMs: 3_000 },
    });
    expect(rows[3]).toMatchObject({ measured: 'not measured', met: undefined });
    expect(rows[5]).toMatchObject({ met: true, measured: '290.00 ms p50 (2.9x a bare SDK server\'s 100.00 ms)' });
    expect(rows[6]).toMatchObject({ met: false, measured: '10.8% (120.0 MiB -> 133.0 MiB; 0 failed)' });
    expect(rows[7]).toMatchObject({ name: '64 concurrent HTTP sessions, 5 runs each', met: true });
    expect(rows[7]!.measured).toContain('p95 95.00 ms (31.7x one session\'s p50)');
    const table = renderTargetTable(rows);
    expect(table).toContain('| execute with one call | 3.00x (3.00 ms / 1.00 ms p50) | <= 2.5x a direct call | **no** |');
    expect(table).toContain('| — |');
  });
});

describe('evaluateTargets: the Python engine (issue 16)', () => {
  const lang = (backToBack: number, waiting: number, perCallMean: number, perCall?: number) => ({
    backToBack: p(backToBack), waiting: p(waiting), perCallMean: p(perCallMean), ...(perCall === undefined ? {} : { perCall: p(perCall) }),
  });

  it('checks the three Python figures against their bounds, beside JavaScript of the same run', () => {
    const rows = evaluateTargets({ speed, python: { poolSize: 2, javascript: lang(3, 2, 0.1), python: lang(240, 16, 0.4, 0.3) } }).slice(-3);
    expect(rows.map((r) => [r.name, r.target, r.met])).toEqual([
      ['Python: fresh instance `return 6*7`, runs back to back (pool of 2)', '< 250 ms p50', true],
      ['Python: `return 6*7` with a restored instance waiting', '< 15 ms p50', false],
      ['Python: one awaited host call (timed in the program)', '< 0.5 ms p50', true],
    ]);
    expect(rows[0]!.measured).toBe('240.00 ms p50, 480.00 ms p95 (80.0x JavaScript\'s 3.00 ms)');
    expect(rows[2]!.measured).toBe('0.30 ms p50, 0.60 ms p95; mean of 200 0.40 ms (JavaScript 0.10 ms)');
  });

  it('reports a per-call figure the run did not take as not measured', () => {
    const rows = evaluateTargets({ speed, python: { poolSize: 1, javascript: lang(3, 2, 0.1), python: lang(600, 9, 0.7) } }).slice(-3);
    expect(rows.map((r) => r.met)).toEqual([false, true, undefined]);
    expect(rows[2]!.measured).toBe('not measured');
  });
});
