// Runs the whole benchmark: footprint (example config and scaled), each workflow both ways over MCP
// with the same conversation model, per-run accounting from cemcp's audit records, and speed.
// Returns data; report.ts renders it and main.ts prints and writes it.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Environment } from '../src/config/index.js';
import { renderDefinitions, type ConversationTotals } from './conversation.js';
import { fetchToolSets, measureFootprint, scaleToolSets, cemcpDefinitions, type FootprintRow, type ToolSet } from './footprint.js';
import { summarizeRuns, type AccountingSummary } from './run-accounting.js';
import { ScriptedAgent } from './scripted-agent.js';
import { openCemcpSession, openDirectSession, type CemcpConfig, type CemcpSession, type StdioCommand, type ToolSession } from './sessions.js';
import { measureConcurrency, type ConcurrencyResult } from './concurrency.js';
import { measureMemory, type MemoryResult } from './memory.js';
import { measureStartup, type StartupResult } from './startup.js';
import { measureSpeed, type SpeedResult } from './speed.js';
import { measureIsolationCost, type IsolationRow } from './isolation-cost.js';
import { CLOUDFLARE_SPEC, measureOpenApi, type OpenApiBenchResult } from './openapi-bench.js';
import { measureTypecheck, type TypecheckBenchResult } from './typecheck-bench.js';
import { measureStores, type StoreBenchOutcome } from './store-bench.js';
import { measurePythonSpeed, type PythonSpeedResult } from './python-bench.js';
import { WORKFLOWS, type FixtureName, type Workflow } from './workflows.js';
import { fixtureCommand } from './fixtures/entry.js';

export interface BenchOptions {
  /** The built CLI (dist/cli/main.js), spawned as `cemcp serve`. */
  readonly cliPath: string;
  /** The repository root: examples/mcp.json is read from it. */
  readonly rootDir: string;
  readonly env: Environment;
  readonly progress?: (line: string) => void;
  /** Samples of each speed measurement (default 100). */
  readonly speedIterations?: number;
  /** Executes of the memory measurement (default 2,000). */
  readonly memoryRuns?: number;
  /** HTTP sessions of the concurrency measurement (default 64). */
  readonly sessions?: number;
}

export interface WorkflowResult {
  readonly id: string;
  readonly title: string;
  readonly direct: ConversationTotals;
  readonly cemcp: ConversationTotals;
  /** The execute runs cemcp recorded in its audit folder during the workflow. */
  readonly accounting: AccountingSummary;
  readonly inlineApi: boolean;
}

export interface BenchResult {
  readonly footprint: { readonly example: FootprintRow; readonly workflowConfig: FootprintRow; readonly scaled: readonly FootprintRow[] };
  readonly workflows: readonly WorkflowResult[];
  readonly speed: SpeedResult;
  readonly speedAccounting: AccountingSummary;
  /** Worker-thread engine against the same QuickJS inline on the main thread. */
  readonly isolation: readonly IsolationRow[];
  /** The Cloudflare spec (eval/specs/cloudflare.json.gz) behind two tools. */
  readonly openapi: OpenApiBenchResult;
  readonly startup?: StartupResult;
  readonly memory?: MemoryResult;
  readonly concurrency?: ConcurrencyResult;
  /** Type-check before run: check latency and what it adds to execute. */
  readonly typecheck?: TypecheckBenchResult;
  /** execute on the in-memory store and on Redis, side by side. */
  readonly store?: StoreBenchOutcome;
  /** The Python engine beside the JavaScript engine, engine level (issue 16's targets). */
  readonly python?: PythonSpeedResult;
}

export const SCALES = [1, 5, 10, 20] as const;

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const progress = options.progress ?? (() => undefined);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cemcp-bench-'));
  try {
    const servers = { documents: await fixtureCommand('documents'), crm: await fixtureCommand('crm') };
    const config = writeConfig(dir, servers);
    const workflowConfig = await loadConfig(config.file, options.env);
    const example = await loadConfig(path.join(options.rootDir, 'examples/mcp.json'), options.env);
    const budget = workflowConfig.cemcp.surface.inlineApiMaxTokens;

    progress('footprint: listing tools of the example config and the fixtures over MCP');
    const exampleSets = await fetchToolSets(example);
    const fixtureSets = await fetchToolSets(workflowConfig);
    const realSets: ToolSet[] = [...exampleSets, ...fixtureSets];
    const footprint = {
      example: measureFootprint('examples/mcp.json', exampleSets, example.cemcp.surface.inlineApiMaxTokens),
      workflowConfig: measureFootprint('documents + crm fixtures', fixtureSets, budget),
      scaled: SCALES.map((n) => measureFootprint(`${n} server${n > 1 ? 's' : ''}`, scaleToolSets(realSets, n), budget)),
    };

    const workflows: WorkflowResult[] = [];
    for (const workflow of WORKFLOWS) {
      const connected = Object.fromEntries(workflow.servers.map((name) => [name, servers[name]]));
      const sets = fixtureSets.filter((set) => workflow.servers.includes(set.server as FixtureName));
      progress(`workflow ${workflow.id}: direct`);
      const direct = await runDirect(workflow, connected);
      progress(`workflow ${workflow.id}: cemcp`);
      const viaCemcp = await runCemcp(workflow, options.cliPath, writeConfig(dir, connected), sets, budget);
      if (direct.answer !== viaCemcp.answer) throw new Error(`${workflow.id}: the two ways answered differently:\n  direct: ${direct.answer}\n  cemcp:  ${viaCemcp.answer}`);
      if (direct.state !== viaCemcp.state) throw new Error(`${workflow.id}: the two ways left the CRM in different states:\n  direct: ${direct.state}\n  cemcp:  ${viaCemcp.state}`);
      workflows.push({ id: workflow.id, title: workflow.title, direct: direct.totals, cemcp: viaCemcp.totals, accounting: viaCemcp.accounting, inlineApi: viaCemcp.inlineApi });
    }

    progress('speed: direct calls and execute through cemcp serve');
    const speedServers = { crm: servers.crm, bulk: await fixtureCommand('bulk') };
    const directSession = await openDirectSession(speedServers);
    const cemcpSession = await openCemcpSession(options.cliPath, writeConfig(dir, speedServers));
    try {
      const speed = await measureSpeed(directSession, cemcpSession, { bulk: true, ...(options.speedIterations ? { iterations: options.speedIterations } : {}) });
      const speedAccounting = summarizeRuns(cemcpSession.runs());
      progress('start-up: spawn to the first tools/list, cemcp with no upstreams against a bare SDK server');
      const empty = writeConfig(dir, {});
      const startup = await measureStartup({ command: process.execPath, args: [options.cliPath, 'serve', '--config', empty.file] }, servers.crm);
      progress(`memory: ${(options.memoryRuns ?? 2_000).toLocaleString('en-US')} runs through one gateway`);
      const memory = await withCemcpSession(options.cliPath, writeConfig(dir, { crm: servers.crm }), (session) => measureMemory(session, options.memoryRuns));
      progress(`concurrency: ${options.sessions ?? 64} HTTP sessions at once`);
      const concurrency = await measureConcurrency(options.cliPath, writeConfig(dir, { crm: servers.crm }).file, options.sessions);
      progress('isolation: worker-thread engine against the same engine inline');
      const isolation = await measureIsolationCost();
      progress('openapi: the Cloudflare spec behind two tools');
      const openapi = await measureOpenApi(CLOUDFLARE_SPEC, { countTokens: true });
      progress('typecheck: a 30-line program against the 320-tool popular catalog; execute with checking off, warn and block');
      const typecheck = await measureTypecheck(options.rootDir, options.speedIterations);
      progress('store: execute on the in-memory store and on a local Redis, side by side');
      const store = await measureStores(options.cliPath, dir, servers.crm, options.speedIterations ? 40 : 200);
      progress('python: the Python engine beside the JavaScript engine (fresh instances, a waiting instance, host calls)');
      const python = await measurePythonSpeed({ ...(options.speedIterations ? { samples: Math.min(15, options.speedIterations) } : {}), progress });
      return { footprint, workflows, speed, speedAccounting, isolation, openapi, startup, memory, concurrency, typecheck, store, python };
    } finally {
      await Promise.allSettled([directSession.close(), cemcpSession.close()]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withCemcpSession<T>(cliPath: string, config: CemcpConfig, use: (session: CemcpSession) => Promise<T>): Promise<T> {
  const session = await openCemcpSession(cliPath, config);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

let configCount = 0;

/** A config of these servers with its own audit folder, so each gateway's records are its own. */
function writeConfig(dir: string, servers: Record<string, StdioCommand>): CemcpConfig {
  const n = ++configCount;
  const file = path.join(dir, `mcp-${n}.json`);
  const auditDir = path.join(dir, `audit-${n}`);
  writeFileSync(file, JSON.stringify({ mcpServers: servers, cemcp: { audit: { dir: auditDir } } }, null, 2));
  chmodSync(file, 0o600);
  return { file, auditDir };
}

async function runDirect(workflow: Workflow, servers: Record<string, StdioCommand>) {
  const session = await openDirectSession(servers);
  try {
    const agent = new ScriptedAgent(session, workflow.task);
    await workflow.direct(agent);
    const run = agent.run();
    return { totals: run.totals, answer: run.answer, state: await crmState(session, 'crm__') };
  } finally {
    await session.close();
  }
}

async function runCemcp(workflow: Workflow, cliPath: string, config: CemcpConfig, sets: readonly ToolSet[], budget: number) {
  const session = await openCemcpSession(cliPath, config);
  try {
    // The bench's own footprint computation must match what the real gateway sends.
    const expected = renderDefinitions(cemcpDefinitions(sets, budget).definitions);
    if (renderDefinitions(session.definitions) !== expected) throw new Error('cemcp serve listed other tool definitions than the bench computes');
    const inlineApi = cemcpDefinitions(sets, budget).inlined;
    const agent = new ScriptedAgent(session, workflow.task, sets.map((s) => s.server));
    await workflow.cemcp(agent, inlineApi);
    const run = agent.run();
    const executes = run.turns.flatMap((t) => t.calls).filter((c) => c === 'execute').length;
    // The audit record is written before execute answers: every run is there already.
    const runs = session.runs();
    if (runs.length !== executes) throw new Error(`${workflow.id}: cemcp recorded ${runs.length} execute runs, the agent made ${executes}`);
    const accounting = summarizeRuns(runs);
    return { totals: run.totals, answer: run.answer, state: await crmState(session, ''), accounting, inlineApi };
  } finally {
    await session.close();
  }
}

const STATE_PROGRAM = `const contacts = (await crm.list_contacts({ limit: 100 })).contacts.filter((c) => c.lastContactedAt !== '2025-06-02');
const { activities } = await crm.list_activities({ limit: 100 });
const { deals } = await crm.list_deals({});
return { contacts, activities, deals };`;

/** The CRM records a workflow may change, normalized (no creation times), read outside the ledger. */
async function crmState(session: ToolSession, prefix: string): Promise<string> {
  let raw: { contacts: Record<string, unknown>[]; activities: Record<string, unknown>[]; deals: Record<string, unknown>[] };
  if (session.kind === 'cemcp') {
    const reply = await session.call('execute', { code: STATE_PROGRAM });
    raw = JSON.parse(reply.text) as typeof raw;
  } else {
    const read = async (tool: string, args: Record<string, unknown>) => JSON.parse((await session.call(`${prefix}${tool}`, args)).text) as Record<string, Record<string, unknown>[]>;
    raw = {
      contacts: (await read('list_contacts', { limit: 100 })).contacts!.filter((c) => c.lastContactedAt !== '2025-06-02'),
      activities: (await read('list_activities', { limit: 100 })).activities!,
      deals: (await read('list_deals', {})).deals!,
    };
  }
  // Fields a PII filter leaves alone (no emails or phones), so the comparison holds with privacy on.
  const contact = ({ id, firstName, lastName, title, companyId, lastContactedAt, status }: Record<string, unknown>) =>
    ({ id, firstName, lastName, title, companyId, lastContactedAt, status });
  const strip = ({ createdAt: _c, id: _i, ...rest }: Record<string, unknown>) => rest;
  const key = (r: Record<string, unknown>) => JSON.stringify(r);
  return JSON.stringify({
    contacts: raw.contacts.map(contact).map(key).sort(),
    activities: raw.activities.map(strip).map(key).sort(),
    deals: raw.deals.map(key).sort(),
  });
}
