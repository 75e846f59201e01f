// Speed, measured in one run against the same fixture processes: direct SDK client calls (one,
// 100 sequential, 100 at once, a 5 MB answer) and the same work as execute programs through
// `cemcp serve` over stdio; targets.ts turns them into ratios. Timings vary by machine; tokens do not.
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
  /** execute of a program calling a saved skill whose code is the one-call program (the skill sent into the run, its gate crossed). */
  readonly oneCallSkillExecute?: Percentiles;
  /** execute of a program making 100 sequential calls, per call (its p50 minus the trivial p50, / 100). */
  readonly perCallInProgramMs: number;
  readonly hundredCallExecute: Percentiles;
  /** The client making the same 100 calls one after another. */
  readonly hundredDirectSequential?: Percentiles;
  /** `Promise.all` of 100 calls: from the client, and inside one program. */
  readonly hundredDirectParallel?: Percentiles;
  readonly hundredParallelExecute?: Percentiles;
  /** A ~5 MB tool answer: received and parsed by the client, and counted inside a program. */
  readonly bigResultBytes?: number;
  readonly bigResultDirect?: Percentiles;
  readonly bigResultExecute?: Percentiles;
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

async function expectOk(session: ToolSession, name: string, args: Record<string, unknown>): Promise<string> {
  const reply = await session.call(name, args);
  if (reply.isError) throw new Error(`${name} failed during the speed run: ${reply.text.slice(0, 300)}`);
  return reply.text;
}

const CALL = { contactId: 'ct-003' };
const ARGS = JSON.stringify(CALL);
export const BIG_RESULT_BYTES = 5_000_000;
/** The program of the one-call measurement (also run by the memory and concurrency measurements). */
export const ONE_CALL_PROGRAM = `return (await crm.get_contact(${ARGS})).email`;

export interface SpeedOptions {
  readonly iterations?: number;
  /** Whether both sessions reach the bulk fixture (the 5 MB answer). */
  readonly bulk?: boolean;
}

/** `direct` reaches the fixtures as `crm__…` (and `bulk__…`); `cemcp` serves the same as namespaces. */
export async function measureSpeed(direct: ToolSession, cemcp: CemcpSession, options: SpeedOptions = {}): Promise<SpeedResult> {
  const iterations = options.iterations ?? 100;
  const few = Math.max(5, Math.round(iterations / 10));
  const directOne = () => expectOk(direct, 'crm__get_contact', CALL);
  const directCall = percentiles(await time(iterations * 2, 20, directOne));
  const trivialExecute = percentiles(await time(iterations, 10, () => expectOk(cemcp, 'execute', { code: 'return 1' })));
  const oneCallExecute = percentiles(await time(iterations, 10, () => expectOk(cemcp, 'execute', { code: ONE_CALL_PROGRAM })));
  // The same call as a saved skill: what calling skills.<name> adds to a run.
  await expectOk(cemcp, 'execute', { code: `await skills.save(${JSON.stringify({ name: 'bench_one_call', description: 'The one-call measurement, saved as a skill.', code: ONE_CALL_PROGRAM })}); return 1;` });
  const oneCallSkillExecute = percentiles(await time(iterations, 10, () => expectOk(cemcp, 'execute', { code: 'return await skills.bench_one_call({})' })));
  const hundred = `let n = 0;\nfor (let i = 0; i < 100; i++) n += (await crm.get_contact(${ARGS})).email.length;\nreturn n;`;
  const hundredCallExecute = percentiles(await time(few, 2, () => expectOk(cemcp, 'execute', { code: hundred })));
  const hundredDirectSequential = percentiles(await time(few, 2, async () => {
    for (let i = 0; i < 100; i++) await directOne();
  }));
  const parallel = `const all = await Promise.all(Array.from({ length: 100 }, () => crm.get_contact(${ARGS})));\nreturn all.length;`;
  const hundredParallelExecute = percentiles(await time(few, 2, () => expectOk(cemcp, 'execute', { code: parallel })));
  const hundredDirectParallel = percentiles(await time(few, 2, () => Promise.all(Array.from({ length: 100 }, directOne))));
  const big = options.bulk ? await measureBigResult(direct, cemcp, few) : {};
  return {
    directCall,
    trivialExecute,
    oneCallExecute,
    oneCallSkillExecute,
    hundredCallExecute,
    perCallInProgramMs: round(Math.max(0, hundredCallExecute.p50Ms - trivialExecute.p50Ms) / 100),
    hundredDirectSequential,
    hundredDirectParallel,
    hundredParallelExecute,
    ...big,
  };
}

/** The same answer both ways: the client parses it (what a direct caller must do to use it), the program counts it. */
async function measureBigResult(direct: ToolSession, cemcp: CemcpSession, times: number) {
  const args = { sizeBytes: BIG_RESULT_BYTES };
  let rows = 0;
  const bigResultDirect = percentiles(await time(times, 1, async () => {
    rows = (JSON.parse(await expectOk(direct, 'bulk__export_inventory', args)) as { records: unknown[] }).records.length;
  }));
  const program = `return (await bulk.export_inventory(${JSON.stringify(args)})).records.length;`;
  const bigResultExecute = percentiles(await time(times, 1, async () => {
    const counted = Number(await expectOk(cemcp, 'execute', { code: program }));
    if (counted !== rows) throw new Error(`the program counted ${counted} rows, the client ${rows}`);
  }));
  return { bigResultBytes: BIG_RESULT_BYTES, bigResultDirect, bigResultExecute };
}
