// Reads the per-run accounting line `cemcp serve --verbose` logs after every execute (written by
// server/gateway-service.ts) and sums it. Pure; imported by the bench sessions, runner and tests.

export interface RunAccounting {
  readonly status: string;
  /** Tokens of the program as sent, and of the text surfaced to the model. */
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly toolCalls: number;
  readonly wallMs?: number;
  readonly cpuMs?: number;
}

export interface AccountingSummary {
  readonly runs: number;
  readonly failed: number;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly toolCalls: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

const LINE = /execute: (\S+), tokens in (\d+), out (\d+), (\d+) tool calls(?:, wall (\d+) ms, cpu (\d+) ms)?/g;

export function parseRunAccounting(log: string): RunAccounting[] {
  return [...log.matchAll(LINE)].map((m) => ({
    status: m[1]!,
    tokensIn: Number(m[2]),
    tokensOut: Number(m[3]),
    toolCalls: Number(m[4]),
    ...(m[5] !== undefined ? { wallMs: Number(m[5]), cpuMs: Number(m[6]) } : {}),
  }));
}

export function summarizeRuns(runs: readonly RunAccounting[]): AccountingSummary {
  return {
    runs: runs.length,
    failed: runs.filter((r) => r.status !== 'ok').length,
    tokensIn: runs.reduce((s, r) => s + r.tokensIn, 0),
    tokensOut: runs.reduce((s, r) => s + r.tokensOut, 0),
    toolCalls: runs.reduce((s, r) => s + r.toolCalls, 0),
    wallMs: runs.reduce((s, r) => s + (r.wallMs ?? 0), 0),
    cpuMs: runs.reduce((s, r) => s + (r.cpuMs ?? 0), 0),
  };
}
