// Speed, measured in one run against the same CRM fixture process type: a direct SDK client call,
// execute of a trivial program through `cemcp serve`, and a tool call made from inside a program
// (one per execute, and amortized over 100 per execute). Timings vary by machine; tokens do not.
import { performance } from 'node:perf_hooks';
import type { CemcpSession, ToolSession } from './sessions.js';

export interface Percentiles {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

export interface SpeedResult {
  /** One direct SDK client tools/call to the CRM fixture. */
  readonly directCall: Percentiles;
  /** execute of `return 1` through cemcp serve (MCP round trip included). */
  readonly trivialExecute: Percentiles;
  /** execute of a program making one call to the same tool. */
  readonly oneCallExecute: Percentiles;
  /** execute of a program making 100 sequential calls, per call (its p50 minus the trivial p50, / 100). */
  readonly perCallInProgramMs: number;
  readonly hundredCallExecute: Percentiles;
}

export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) return { samples: 0, p50Ms: 0, p95Ms: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { samples: sorted.length, p50Ms: round(at(0.5)), p95Ms: round(at(0.95)) };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

async function time(times: number, warmup: number, run: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples;
}

async function expectOk(session: ToolSession, name: string, args: Record<string, unknown>): Promise<void> {
  const reply = await session.call(name, args);
  if (reply.isError) throw new Error(`${name} failed during the speed run: ${reply.text.slice(0, 300)}`);
}

const CALL = { contactId: 'ct-003' };

export async function measureSpeed(direct: ToolSession, cemcp: CemcpSession, iterations = 100): Promise<SpeedResult> {
  const directCall = percentiles(await time(iterations * 2, 20, () => expectOk(direct, 'crm__get_contact', CALL)));
  const trivialExecute = percentiles(await time(iterations, 10, () => expectOk(cemcp, 'execute', { code: 'return 1' })));
  const oneCallExecute = percentiles(await time(iterations, 10, () =>
    expectOk(cemcp, 'execute', { code: `return (await crm.get_contact(${JSON.stringify(CALL)})).email` })));
  const hundred = `let n = 0;\nfor (let i = 0; i < 100; i++) n += (await crm.get_contact(${JSON.stringify(CALL)})).email.length;\nreturn n;`;
  const hundredCallExecute = percentiles(await time(Math.max(5, Math.round(iterations / 10)), 2, () => expectOk(cemcp, 'execute', { code: hundred })));
  return {
    directCall,
    trivialExecute,
    oneCallExecute,
    hundredCallExecute,
    perCallInProgramMs: round(Math.max(0, hundredCallExecute.p50Ms - trivialExecute.p50Ms) / 100),
  };
}
