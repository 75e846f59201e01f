// Keeps a floor under `npm run eval:search`: the ranker must stay ahead of a plain MiniSearch
// baseline on every vendored API and catalog, and above fixed figures on both halves of the
// questions (the held-out half was never used for tuning). Needs the build (npm test builds).
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without types, shared with `npm run eval:search`.
import { evaluateSearch, formatTable } from '../../eval/search-eval.mjs';

interface Figures { n: number; top1: number; top5: number; mrr: number; p50Ms: number }
interface Row { catalog: string; split: string; operations: number; cemcp: Figures; baseline: Figures }

const pooled = (rows: Row[], pick: (r: Row) => Figures, key: 'top1' | 'top5' | 'mrr') => {
  const n = rows.reduce((s, r) => s + pick(r).n, 0);
  return rows.reduce((s, r) => s + pick(r)[key] * pick(r).n, 0) / n;
};

describe('search evaluation', () => {
  it('ranks the right operation well on every API and on both halves, ahead of the baseline', async () => {
    const rows = (await evaluateSearch()) as Row[];
    process.stdout.write(`${formatTable(rows)}\n`);
    expect(new Set(rows.map((r) => r.catalog)).size).toBeGreaterThanOrEqual(5);
    for (const split of ['tune', 'heldout']) {
      const part = rows.filter((r) => r.split === split);
      expect(pooled(part, (r) => r.cemcp, 'top1'), `${split} top-1`).toBeGreaterThanOrEqual(0.28);
      expect(pooled(part, (r) => r.cemcp, 'top5'), `${split} top-5`).toBeGreaterThanOrEqual(0.5);
      expect(pooled(part, (r) => r.cemcp, 'mrr'), `${split} MRR vs baseline`).toBeGreaterThan(pooled(part, (r) => r.baseline, 'mrr') + 0.05);
    }
    for (const catalog of new Set(rows.map((r) => r.catalog))) {
      const both = rows.filter((r) => r.catalog === catalog);
      expect(pooled(both, (r) => r.cemcp, 'mrr'), `${catalog} MRR vs baseline`).toBeGreaterThanOrEqual(pooled(both, (r) => r.baseline, 'mrr'));
    }
  });
});
