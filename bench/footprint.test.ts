import { describe, expect, it } from 'vitest';
import { createCrmTools } from './fixtures/crm-server.js';
import { createDocumentsTools } from './fixtures/documents-server.js';
import { cemcpDefinitions, measureFootprint, scaleToolSets, type ToolSet } from './footprint.js';
import { renderChart } from './chart.js';
import { renderReport } from './report.js';
import type { BenchResult } from './run-bench.js';

const asSet = (server: string, tools: ReturnType<typeof createCrmTools>): ToolSet => ({
  server,
  tools: tools.map(({ name, description, inputSchema, outputSchema, annotations }) => ({ name, description, inputSchema, outputSchema, annotations })),
});
const SETS = [asSet('documents', createDocumentsTools()), asSet('crm', createCrmTools())];

describe('footprint', () => {
  it('scales by cycling real tool sets under new names', () => {
    expect(scaleToolSets(SETS, 5).map((s) => s.server)).toEqual(['documents', 'crm', 'documents_2', 'crm_2', 'documents_3']);
    expect(scaleToolSets(SETS, 5)[2]!.tools).toBe(SETS[0]!.tools);
  });

  it('keeps cemcp flat while direct grows with the catalog', () => {
    const small = measureFootprint('2', SETS, 0);
    const large = measureFootprint('20', scaleToolSets(SETS, 20), 0);
    expect(small.cemcpBaseTokens).toBeLessThan(400);
    expect(large.cemcpTokens).toBe(small.cemcpTokens);
    expect(large.directTokens).toBeGreaterThan(9 * small.directTokens);
    expect(large.rawListTokens).toBeGreaterThan(large.directTokens);
  });

  it('inlines the typed API only when it fits the budget, and counts it then', () => {
    const crmOnly = [SETS[1]!];
    const inlined = measureFootprint('crm', crmOnly, 1_500);
    expect(inlined.inlined).toBe(true);
    expect(inlined.cemcpTokens).toBeGreaterThan(inlined.typedApiTokens);
    expect(cemcpDefinitions(crmOnly, 1_500).definitions[1]!.description).toContain('declare namespace crm');
    const over = measureFootprint('crm', crmOnly, inlined.typedApiTokens - 1);
    expect(over).toMatchObject({ inlined: false, cemcpTokens: over.cemcpBaseTokens });
  });
});

describe('report and chart', () => {
  const totals = (totalTokens: number, turns: number) => ({ turns, toolCalls: turns - 1, inputTokens: totalTokens - 10, outputTokens: 10, totalTokens, peakContextTokens: totalTokens / 2, definitionTokens: 100 });
  const row = measureFootprint('x <&>', SETS, 0);
  const result: BenchResult = {
    footprint: { example: row, workflowConfig: row, scaled: [row, { ...row, label: '5 servers', directTokens: row.directTokens * 5 }] },
    workflows: [
      { id: 'a', title: '(a) big', direct: totals(200_000, 6), cemcp: totals(8_000, 4), accounting: { runs: 2, failed: 0, tokensIn: 500, tokensOut: 400, toolCalls: 22, wallMs: 100, cpuMs: 40 }, inlineApi: false },
      { id: 'd', title: '(d) worse', direct: totals(2_000, 2), cemcp: totals(2_500, 2), accounting: { runs: 1, failed: 0, tokensIn: 20, tokensOut: 3, toolCalls: 1, wallMs: 50, cpuMs: 5 }, inlineApi: true },
    ],
    speed: {
      directCall: { samples: 10, p50Ms: 0.5, p95Ms: 1 }, trivialExecute: { samples: 10, p50Ms: 4, p95Ms: 8 },
      oneCallExecute: { samples: 10, p50Ms: 5, p95Ms: 9 }, hundredCallExecute: { samples: 5, p50Ms: 80, p95Ms: 90 }, perCallInProgramMs: 0.76,
    },
    speedAccounting: { runs: 30, failed: 0, tokensIn: 100, tokensOut: 30, toolCalls: 500, wallMs: 300, cpuMs: 60 },
    isolation: [{ program: 'return 6 * 7', runs: 10, workerP50Ms: 2, workerP95Ms: 4, inlineP50Ms: 1, inlineP95Ms: 2 }],
    openapi: {
      spec: 'cloudflare.json.gz', specBytes: 4_186_772, specTokens: 1_009_147, operations: 1533, loadMs: 90, extractMs: 145, indexBuildMs: 135,
      indexHeapBytes: 4_089_446, heapAfterLoadBytes: 90_000_000, searchP50Ms: 0.8, searchP95Ms: 4, toolDefinitionTokens: 268, searchAnswerTokens: 1431,
      probesTop3: '8/8', selfRecallAt5: 0.987, declarationsMs: 500, declarationsTokens: null,
    },
  };

  it('reports changes honestly: a larger cemcp figure says more, never a negative less', () => {
    const md = renderReport(result);
    expect(md).toContain('| (a) big | 6 | 4 | 5 | 3 (22 inside) | 200,000 | 8,000 | **96.0% less** |');
    expect(md).toContain('| (d) worse | 2 | 2 | 1 | 1 (1 inside) | 2,000 | 2,500 | **25.0% more** |');
    expect(md).toContain('**10.0x** a direct call at p50');
    expect(md).toContain('o200k_base');
    expect(md).toContain('| return 6 * 7 | 10 | 2.00 / 4.00 | 1.00 / 2.00 | 2.00x |');
    expect(md).toContain('## OpenAPI at scale: the Cloudflare spec behind two tools');
    expect(md).toContain('## Targets, against the baseline of the same run');
    expect(md).toContain('| first tools/list after spawn, no upstreams | not measured | < 300 ms | — |');
    expect(md).toContain('| operations | 1,533 |');
    expect(md).toContain('| the whole spec, tokens | 1,009,147 |');
    expect(md).toContain('| `cemcp types` for the whole API, tokens | — |');
    expect(md).toContain('| index heap | 3.9 MiB |');
    expect(md).toContain('| operations in the top 5 for their own summary (1-in-10 sample) | 98.7% |');
    expect(md).not.toMatch(/shared|DESIGN\.md|ENGINES\.md|Skipped/);
  });

  it('draws a well-formed SVG with escaped labels', () => {
    const svg = renderChart(result);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('x &lt;&amp;&gt;');
    expect(svg).not.toMatch(/NaN|undefined/);
    expect(renderChart(result)).toBe(svg);
  });
});
