// `npm run eval:typecheck [-- --mode off|warn|block] [--split tune|heldout] [--list] [--concurrency N]`: runs every
// program of eval/typecheck/ through the built gateway (dist/, in-process, default settings) with
// real upstreams, and prints per split: valid programs that ran ok, wrong programs stopped before
// any upstream call, and whether the stopping error names the fault's line and the right name or type.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../dist/config/index.js';
import { startGateway } from '../dist/cli/start-gateway.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS_DIR = path.join(ROOT, 'eval/typecheck');
export const SPLITS = ['tune', 'heldout'];
export const TARGETS = ['real', 'catalog'];
export const CLASSES = [
  'wrong-arg-name', 'wrong-arg-type', 'missing-arg', 'misspelled-tool', 'misspelled-namespace',
  'wrong-enum', 'missing-field', 'array-method-on-object', 'forgotten-await',
];
/** The three reference servers from npm the `real` programs call. */
export const REAL_SERVERS = ['everything', 'memory', 'filesystem'];
const MARK = '// typecheck-eval ';
const require = createRequire(path.join(ROOT, 'package.json'));

/**
 * Every program: `{ id, split, target, file, language, code, meta }`. The whole file is the program
 * as sent to execute (its header comment included), so `meta.line` is the file's own line number.
 */
export function loadCorpus(dir = CORPUS_DIR, splits = SPLITS) {
  const programs = [];
  for (const split of splits) {
    for (const target of TARGETS) {
      const folder = path.join(dir, split, target);
      if (!fs.existsSync(folder)) continue;
      for (const name of fs.readdirSync(folder).filter((f) => /\.(js|ts)$/.test(f)).sort()) {
        const file = path.join(folder, name);
        const code = fs.readFileSync(file, 'utf8');
        const meta = readHeader(code);
        programs.push({
          id: `${split}/${target}/${name}`, split, target, file, code, meta,
          language: name.endsWith('.ts') ? 'typescript' : 'javascript',
        });
      }
    }
  }
  return programs;
}

/**
 * The metadata line: the program's first line, or its second when the first must be code (a
 * program that is a single `async () => {...}` expression is recognised only when nothing precedes it).
 */
function readHeader(code) {
  const line = code.split('\n', 2).map((l) => l.trim()).find((l) => l.startsWith(MARK));
  if (!line) return null;
  try {
    return JSON.parse(line.slice(MARK.length));
  } catch {
    return null;
  }
}

/** Problems with one program's header, as sentences; empty when it is well formed. */
export function metadataProblems(program) {
  const m = program.meta;
  if (!m || typeof m !== 'object') return [`${program.id}: line 1 must be "${MARK}{...json...}"`];
  const out = [];
  if (m.kind !== 'valid' && m.kind !== 'wrong') out.push(`${program.id}: kind must be "valid" or "wrong"`);
  if (!Array.isArray(m.servers) || m.servers.length === 0 || !m.servers.every((s) => typeof s === 'string')) out.push(`${program.id}: servers must list the upstreams it calls`);
  if (program.target === 'real' && Array.isArray(m.servers) && !m.servers.every((s) => REAL_SERVERS.includes(s))) out.push(`${program.id}: a real program calls only ${REAL_SERVERS.join(', ')}`);
  if (m.kind === 'wrong') {
    const lines = program.code.split('\n').length;
    if (!CLASSES.includes(m.class)) out.push(`${program.id}: class must be one of ${CLASSES.join(', ')}`);
    if (!Number.isInteger(m.line) || m.line < 3 || m.line > lines) out.push(`${program.id}: line must be the fault's 1-based line (3..${lines})`);
    if (!Array.isArray(m.expect) || m.expect.length === 0 || !m.expect.every((s) => typeof s === 'string' && s)) out.push(`${program.id}: expect must list the names or types the error should mention`);
  } else if (m.kind === 'valid' && ('class' in m || 'line' in m)) {
    out.push(`${program.id}: a valid program has no class or line`);
  }
  return out;
}

function serverEntry(pkg) {
  const dir = path.dirname(require.resolve(`${pkg}/package.json`));
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  return path.join(dir, bin ?? 'dist/index.js');
}

/**
 * A config for one target in a fresh temp folder: `real` starts the three npm servers (filesystem
 * serves a copy of eval/typecheck/fixtures), `catalog` one eval/typecheck/catalog-server.mjs per
 * catalog server named in `servers`. `mode` goes to cemcp.typecheck.mode when given.
 */
export function writeEvalConfig(target, { servers = [], mode } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cemcp-tceval-${target}-`));
  fs.mkdirSync(path.join(dir, 'cfg'), { mode: 0o755 });
  const mcpServers = {};
  let root;
  if (target === 'real') {
    root = path.join(dir, 'workspace');
    fs.cpSync(path.join(CORPUS_DIR, 'fixtures'), root, { recursive: true });
    mcpServers.everything = { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-everything'), 'stdio'] };
    mcpServers.memory = { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-memory')], env: { MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl') } };
    mcpServers.filesystem = { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-filesystem'), root] };
  } else {
    for (const name of servers) mcpServers[name] = { command: process.execPath, args: [path.join(CORPUS_DIR, 'catalog-server.mjs'), name] };
  }
  const cemcp = mode ? { typecheck: { mode } } : {};
  const file = path.join(dir, 'cfg', 'mcp.json');
  fs.writeFileSync(file, JSON.stringify({ mcpServers, cemcp }, null, 2), { mode: 0o644 });
  return { dir, file, root };
}

const quietLogger = { log() {} };

/**
 * Starts the built gateway in-process for one target and waits for its upstreams. With `mode` on
 * a build whose config has no cemcp.typecheck yet, the key is dropped (warned once) and the run goes on.
 */
export async function startEvalGateway(target, { servers = [], mode, warn = () => {} } = {}) {
  let setup = writeEvalConfig(target, { servers, mode });
  let config;
  try {
    config = await loadConfig(setup.file, { PATH: process.env.PATH, HOME: process.env.HOME });
  } catch (error) {
    if (!mode || !/typecheck/.test(String(error?.message))) throw error;
    warn(`--mode ${mode}: this build's config has no cemcp.typecheck; running with the defaults`);
    fs.rmSync(setup.dir, { recursive: true, force: true });
    setup = writeEvalConfig(target, { servers });
    config = await loadConfig(setup.file, { PATH: process.env.PATH, HOME: process.env.HOME });
  }
  const gateway = await startGateway(config, quietLogger);
  const report = await gateway.ready;
  if (report.failed.length) {
    await gateway.close();
    throw new Error(`typecheck eval: upstreams failed to start: ${report.failed.map((f) => f.name ?? JSON.stringify(f)).join(', ')}`);
  }
  return {
    service: gateway.service,
    root: setup.root,
    async close() {
      await gateway.close();
      fs.rmSync(setup.dir, { recursive: true, force: true });
    },
  };
}

// Calls handed to an upstream (answered, failed there, or cancelled in flight); refused and
// dropped calls never left the gateway.
const REACHED = new Set(['ok', 'error', 'cancelled']);

/** Runs one program in a fresh session: `{ ok, text, errorCode, upstreamCalls }`. */
export async function runProgram(service, program) {
  const session = service.openSession('eval');
  try {
    const result = await service.execute(program.code, undefined, session.context);
    const upstreamCalls = result.calls.filter((c) => REACHED.has(c.fate ?? (c.ok ? 'ok' : 'error'))).length;
    return { ok: result.ok, text: result.text, errorCode: result.errorCode, upstreamCalls };
  } finally {
    await session.close();
  }
}

/** The error text places the fault: "line N", "N:col", "(N,col)" or ":N:" for the fault's line N. */
export function namesLine(text, line) {
  return new RegExp(`\\bline ${line}\\b|(^|[^\\d.])${line}:\\d+|\\(${line},\\s*\\d+\\)`, 'i').test(text);
}

export function namesExpected(text, expect) {
  return expect.some((s) => text.includes(s));
}

/** Scores one outcome: valid -> ok; wrong -> stopped (failed with no upstream call), line, name. */
export function scoreOutcome(program, outcome) {
  if (program.meta.kind === 'valid') return { ok: outcome.ok };
  const stopped = !outcome.ok && outcome.upstreamCalls === 0;
  return {
    stopped,
    line: stopped && namesLine(outcome.text, program.meta.line),
    named: stopped && namesExpected(outcome.text, program.meta.expect),
  };
}

/**
 * Runs `programs` (default: the whole corpus) and returns one row per program, in corpus order.
 * `concurrency` programs run at once in their own sessions (they share the upstreams; the names
 * they create are their own), 1 by default.
 */
export async function evaluateCorpus({ programs = loadCorpus(), mode, concurrency = 1, warn = () => {}, onRow = () => {} } = {}) {
  const rows = new Map();
  const warned = new Set();
  const warnOnce = (message) => {
    if (!warned.has(message)) warn(message);
    warned.add(message);
  };
  for (const target of TARGETS) {
    const mine = programs.filter((p) => p.target === target);
    if (!mine.length) continue;
    const servers = target === 'real' ? REAL_SERVERS : [...new Set(mine.flatMap((p) => p.meta?.servers ?? []))].sort();
    const gateway = await startEvalGateway(target, { servers, mode, warn: warnOnce });
    try {
      let next = 0;
      const worker = async () => {
        while (next < mine.length) {
          const program = mine[next++];
          const outcome = await runProgram(gateway.service, program);
          const row = { program, outcome, score: scoreOutcome(program, outcome) };
          rows.set(program, row);
          onRow(row);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    } finally {
      await gateway.close();
    }
  }
  return programs.filter((p) => rows.has(p)).map((p) => rows.get(p));
}

const pct = (num, den) => (den ? `${((100 * num) / den).toFixed(1)}%` : '-');

// The splits the rows hold, tune and heldout always (a named extra split such as heldout2 after them).
const splitsOf = (rows) => [...new Set([...SPLITS, ...rows.map((r) => r.program.split)])];

export function summarize(rows) {
  return splitsOf(rows).map((split) => {
    const part = rows.filter((r) => r.program.split === split);
    const valid = part.filter((r) => r.program.meta.kind === 'valid');
    const wrong = part.filter((r) => r.program.meta.kind === 'wrong');
    return {
      split, n: part.length, valid: valid.length, wrong: wrong.length,
      validOk: valid.filter((r) => r.score.ok).length,
      stopped: wrong.filter((r) => r.score.stopped).length,
      line: wrong.filter((r) => r.score.line).length,
      named: wrong.filter((r) => r.score.named).length,
    };
  });
}

export function formatTable(rows) {
  const lines = [
    '| split | n | valid | valid ok | wrong | stopped before any call | names the line | names the right thing |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const s of summarize(rows)) {
    lines.push(`| ${s.split} | ${s.n} | ${s.valid} | ${pct(s.validOk, s.valid)} | ${s.wrong} | ${pct(s.stopped, s.wrong)} | ${pct(s.line, s.wrong)} | ${pct(s.named, s.wrong)} |`);
  }
  return lines.join('\n');
}

/** Wrong programs stopped before any call, per class and split (`stopped/n`). */
export function formatClassTable(rows) {
  const splits = splitsOf(rows);
  const lines = [`| class | ${splits.join(' | ')} |`, `|---|${splits.map(() => '--:|').join('')}`];
  for (const cls of CLASSES) {
    const cell = (split) => {
      const part = rows.filter((r) => r.program.split === split && r.program.meta.class === cls);
      return `${part.filter((r) => r.score.stopped).length}/${part.length}`;
    };
    lines.push(`| ${cls} | ${splits.map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

function parseArgs(argv) {
  const out = { mode: undefined, split: undefined, list: false, concurrency: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--mode') out.mode = argv[++i];
    else if (a.startsWith('--mode=')) out.mode = a.slice(7);
    else if (a === '--split') out.split = argv[++i];
    else if (a.startsWith('--split=')) out.split = a.slice(8);
    else if (a === '--list') out.list = true;
    else if (a === '--concurrency') out.concurrency = Number(argv[++i]);
    else throw new Error(`typecheck eval: unknown argument ${a} (use --mode off|warn|block, --split tune|heldout, --list, --concurrency N)`);
  }
  if (out.mode && !['off', 'warn', 'block'].includes(out.mode)) throw new Error(`--mode: expected off, warn or block, got "${out.mode}"`);
  // A split other than tune and heldout is any other folder of eval/typecheck/ holding real/ or catalog/ (e.g. heldout2).
  if (out.split && !SPLITS.includes(out.split) && !TARGETS.some((t) => fs.existsSync(path.join(CORPUS_DIR, out.split, t)))) throw new Error(`--split: expected tune, heldout or a folder of eval/typecheck/ with real/ or catalog/, got "${out.split}"`);
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const programs = loadCorpus(CORPUS_DIR, args.split ? [args.split] : SPLITS);
  const bad = programs.flatMap(metadataProblems);
  if (bad.length) throw new Error(bad.join('\n'));
  const rows = await evaluateCorpus({
    programs, mode: args.mode, concurrency: args.concurrency, warn: (m) => process.stderr.write(`${m}\n`),
    // --list names each program's result; held-out programs are listed only by outcome counts.
    onRow: args.list ? ({ program, outcome, score }) => {
      if (program.split !== 'tune') return;
      const verdict = program.meta.kind === 'valid' ? (score.ok ? 'ok' : 'FAILED') : `${score.stopped ? 'stopped' : 'ran'}${score.line ? ' line' : ''}${score.named ? ' named' : ''}`;
      process.stdout.write(`${program.id}: ${verdict}${(program.meta.kind === 'valid' && !score.ok) || (program.meta.kind === 'wrong' && !score.stopped) ? ` (${outcome.upstreamCalls} calls) ${outcome.text.split('\n')[0]}` : ''}\n`);
    } : undefined,
  });
  process.stdout.write(`${formatTable(rows)}\n\n${formatClassTable(rows)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
