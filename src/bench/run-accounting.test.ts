import { describe, expect, it } from 'vitest';
import { parseRunAccounting, summarizeRuns } from './run-accounting.js';

const LOG = [
  'cemcp 2 of 2 upstreams ready, 21 tools',
  'cemcp debug: execute: ok, tokens in 242, out 32, 7 tool calls, wall 64 ms, cpu 6 ms',
  'cemcp debug: upstream "crm": something else',
  'cemcp debug: execute: SYNTAX_ERROR, tokens in 5, out 20, 0 tool calls',
  'cemcp debug: execute: GUEST_THREW, tokens in 10, out 12, 1 tool calls, wall 3 ms, cpu 1 ms',
].join('\n');

describe('parseRunAccounting', () => {
  it('reads every execute line the gateway logs, with or without sandbox stats', () => {
    const runs = parseRunAccounting(LOG);
    expect(runs).toEqual([
      { status: 'ok', tokensIn: 242, tokensOut: 32, toolCalls: 7, wallMs: 64, cpuMs: 6 },
      { status: 'SYNTAX_ERROR', tokensIn: 5, tokensOut: 20, toolCalls: 0 },
      { status: 'GUEST_THREW', tokensIn: 10, tokensOut: 12, toolCalls: 1, wallMs: 3, cpuMs: 1 },
    ]);
  });

  it('sums runs and counts failures', () => {
    expect(summarizeRuns(parseRunAccounting(LOG))).toEqual({ runs: 3, failed: 2, tokensIn: 257, tokensOut: 64, toolCalls: 8, wallMs: 67, cpuMs: 7 });
    expect(summarizeRuns([])).toMatchObject({ runs: 0, tokensIn: 0 });
  });
});
