// What type-check before run costs: a warm check of a 30-line program against the ~320-tool popular
// catalog (eval/catalogs/mcp-popular.json.gz), through the checker worker as execute uses it, every
// program a new one (no cached report); and execute latency in process with checking off, in warn
// mode and in block mode, for a trivial program (which names no namespace: never checked) and for a
// one-call program written anew each run. Tools answer at once, so the figures are the checker's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Catalog, type CatalogSource } from '../src/catalog/index.js';
import type { ToolInvoker } from '../src/common/index.js';
import { createProgramChecker, executeProgram, type ProgramChecker, type RuntimeOptions, type TypeCheckMode } from '../src/runtime/index.js';
import { BENCH_LIMITS } from './run-limits.js';
import { createQuickJsEngine } from '../src/sandbox/index.js';
import { percentiles, type Percentiles } from './speed.js';

export interface TypecheckBenchResult {
  readonly tools: number;
  readonly programLines: number;
  /** The first check: worker start, TypeScript and the library loaded, the catalog's declarations built. */
  readonly coldMs: number;
  /** Warm checks as execute waits for them (worker round trip included), each of a new program. */
  readonly check: Percentiles;
  /** The same checks as the worker timed them (TypeScript's own work). */
  readonly checkInWorker: Percentiles;
  readonly trivialOff: Percentiles;
  readonly trivialWarn: Percentiles;
  readonly oneCallOff: Percentiles;
  readonly oneCallWarn: Percentiles;
  readonly oneCallBlock: Percentiles;
}


const GRAPH = { entities: [{ name: 'ada', entityType: 'person', observations: ['wrote the first program'] }], relations: [] };
const invoker: ToolInvoker = {
  async callTool() {
    return { ok: true, value: GRAPH };
  },
};

/** A realistic 30-line program over memory, github and filesystem; `n` makes each one new. */
export function thirtyLineProgram(n: number): string {
  return `const graph = await memory.read_graph({});
const people = graph.entities.filter((e) => e.entityType === 'person');
const byName = new Map(people.map((p) => [p.name, p]));
const notes = [];
for (const person of people) {
  const hits = await memory.search_nodes({ query: person.name + ' ${n}' });
  for (const e of hits.entities) {
    if (!byName.has(e.name)) notes.push({ from: person.name, to: e.name, kind: e.entityType });
  }
}
const issues = await github.list_issues({ owner: 'acme', repo: 'web', state: 'open', per_page: 50 });
const counts = {};
for (const issue of issues) {
  for (const label of issue.labels ?? []) counts[label.name] = (counts[label.name] ?? 0) + 1;
}
const top = Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 5);
const file = await filesystem.read_text_file({ path: '/data/report-${n}.csv' });
const rows = file.content.split('\\n').filter(Boolean).map((line) => line.split(','));
const [header, ...body] = rows;
const total = body.reduce((sum, r) => sum + Number(r[header.indexOf('amount')] ?? 0), 0);
await memory.add_observations({
  observations: people.map((p) => ({ entityName: p.name, contents: ['checked ${n}'] })),
});
const summary = {
  people: people.length,
  links: notes.length,
  topLabels: top.map(([name, count]) => name + ':' + count),
  total,
};
console.log('summary', summary.people, summary.total);
return summary;`;
}

export function loadPopularCatalog(rootDir: string): Catalog {
  const file = path.join(rootDir, 'eval/catalogs/mcp-popular.json.gz');
  const data = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { servers: { name: string; tools: CatalogSource['tools'] }[] };
  return Catalog.fromSources(data.servers.map((s) => ({ server: s.name, tools: s.tools })));
}

async function time(times: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

export async function measureTypecheck(rootDir: string, iterations = 100): Promise<TypecheckBenchResult> {
  const catalog = loadPopularCatalog(rootDir);
  const checker: ProgramChecker = createProgramChecker();
  const engine = createQuickJsEngine({ poolSize: 1 });
  let serial = 0;
  try {
    const check = async (source: string) => {
      const outcome = await checker.check(catalog, { source, form: 'body', language: 'javascript', hostDeclarations: '' });
      if (!outcome.ok) throw new Error(`bench: the check failed: ${outcome.reason}`);
      if (outcome.report.issues.length) throw new Error(`bench: the 30-line program has type errors: ${outcome.report.issues[0]!.message}`);
      return outcome.ms;
    };
    const coldStart = performance.now();
    await check(thirtyLineProgram(serial++));
    const coldMs = performance.now() - coldStart;
    for (let i = 0; i < 10; i++) await check(thirtyLineProgram(serial++));
    const inWorker: number[] = [];
    const checkTimes = await time(iterations, async () => inWorker.push(await check(thirtyLineProgram(serial++))));

    const options = (mode: TypeCheckMode | undefined): RuntimeOptions =>
      ({ engine, invoker, limits: BENCH_LIMITS, maxTokens: 4_000, ...(mode ? { typecheck: { mode, checker } } : {}) });
    const run = async (code: string, mode: TypeCheckMode | undefined) => {
      const result = await executeProgram(code, catalog, options(mode));
      if (!result.ok) throw new Error(`bench: ${code.slice(0, 40)}… failed: ${result.text.slice(0, 200)}`);
    };
    const oneCall = () => `return (await memory.read_graph({})).entities.length + ${serial++};`;
    // Interleaved, so a slow stretch of the machine falls on every mode alike.
    const modes: (TypeCheckMode | undefined)[] = [undefined, 'warn', 'block'];
    const trivial = new Map<TypeCheckMode | undefined, number[]>(modes.map((m) => [m, []]));
    const single = new Map<TypeCheckMode | undefined, number[]>(modes.map((m) => [m, []]));
    for (const mode of modes) for (let i = 0; i < 5; i++) await run(oneCall(), mode);
    for (let i = 0; i < iterations; i++) {
      for (const mode of modes) {
        trivial.get(mode)!.push(...await time(1, () => run('return 6 * 7;', mode)));
        single.get(mode)!.push(...await time(1, () => run(oneCall(), mode)));
      }
    }
    return {
      tools: catalog.operations.length,
      programLines: thirtyLineProgram(0).split('\n').length,
      coldMs: Math.round(coldMs),
      check: percentiles(checkTimes),
      checkInWorker: percentiles(inWorker),
      trivialOff: percentiles(trivial.get(undefined)!),
      trivialWarn: percentiles(trivial.get('warn')!),
      oneCallOff: percentiles(single.get(undefined)!),
      oneCallWarn: percentiles(single.get('warn')!),
      oneCallBlock: percentiles(single.get('block')!),
    };
  } finally {
    await Promise.allSettled([checker.close(), engine.close()]);
  }
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

export function renderTypecheckSection(r: TypecheckBenchResult): string[] {
  const row = (what: string, p: Percentiles) => `| ${what} | ${ms(p.p50Ms)} | ${ms(p.p95Ms)} | ${p.samples} |`;
  return [
    '## Type-check before run',
    '',
    `A ${r.programLines}-line program against the popular catalog (${r.tools} tools), a new program each time (no cached report). The first check, with the worker starting cold: ${r.coldMs} ms.`,
    'Executes run in process with tools answering at once; `return 6 * 7` names no namespace, so it is never checked; the one-call program is new on each run.',
    '',
    '| measured | p50 | p95 | samples |',
    '|---|--:|--:|--:|',
    row('check, as execute waits for it (worker round trip)', r.check),
    row('check, inside the worker', r.checkInWorker),
    row('execute `return 6 * 7`, checking off', r.trivialOff),
    row('execute `return 6 * 7`, warn', r.trivialWarn),
    row('execute with one call, checking off', r.oneCallOff),
    row('execute with one call, warn', r.oneCallWarn),
    row('execute with one call, block (the default)', r.oneCallBlock),
  ];
}
