// `npm run eval:search`: ranks every question of eval/questions/*.json through cemcp's real
// search (the built dist/) and through a plain MiniSearch baseline (operationId + summary +
// description, default options) in the same run, and prints top-1, top-5, MRR@10 and p50 latency
// per catalog and split. `--misses` lists the tune split's misses (never the held-out half's).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { Catalog } from '../dist/catalog/index.js';
import { OpenApiSourceSchema } from '../dist/config/index.js';
import { createOpenApiSourceFromDocument, loadSpec } from '../dist/upstream/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every question file under eval/questions, parsed. */
export function loadQuestionSets(dir = path.join(ROOT, 'eval/questions')) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}

/** The catalog a question set is asked against, built by the same code `cemcp serve` runs. */
export async function loadCatalog(set) {
  if (set.kind === 'openapi') {
    const spec = path.join(ROOT, set.spec);
    const loaded = await loadSpec(spec, set.catalog, { maxBytes: 256 << 20 });
    const config = OpenApiSourceSchema.parse({ spec, baseUrl: 'https://api.example.invalid' });
    const source = createOpenApiSourceFromDocument(set.catalog, config, loaded.document, loaded);
    return Catalog.fromSources([{ server: source.name, tools: source.tools }]);
  }
  const data = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(ROOT, set.source))).toString('utf8'));
  return Catalog.fromSources(data.servers.map((s) => ({ server: s.name, tools: s.tools })));
}

function baselineSearch(catalog) {
  const ops = catalog.operations;
  const index = new MiniSearch({ fields: ['name', 'summary', 'description'], storeFields: [] });
  index.addAll(ops.map((op, id) => {
    const summary = op.description.split('. ')[0] ?? '';
    return { id, name: op.toolName, summary, description: op.description };
  }));
  return (q) => index.search(q).slice(0, 10).map((r) => ops[r.id].callName);
}

function cemcpSearch(catalog) {
  catalog.search('warm up');
  return (q) => catalog.search(q, { limit: 10 }).map((h) => h.operation.callName);
}

function score(questions, search) {
  let top1 = 0, top5 = 0, rr = 0;
  const times = [];
  const misses = [];
  for (const question of questions) {
    const t = performance.now();
    const ranked = search(question.q);
    times.push(performance.now() - t);
    const rank = ranked.findIndex((name) => question.answers.includes(name));
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 5) top5++;
    if (rank >= 0) rr += 1 / (rank + 1);
    if (rank !== 0) misses.push({ question, rank, got: ranked.slice(0, 3) });
  }
  times.sort((a, b) => a - b);
  const n = Math.max(1, questions.length);
  return { n: questions.length, top1: top1 / n, top5: top5 / n, mrr: rr / n, p50Ms: times[Math.floor(times.length / 2)] ?? 0, misses };
}

/** Figures for every catalog and split: `{ catalog, split, operations, cemcp, baseline }[]`. */
export async function evaluateSearch(sets = loadQuestionSets()) {
  const rows = [];
  for (const set of sets) {
    const catalog = await loadCatalog(set);
    const engines = { cemcp: cemcpSearch(catalog), baseline: baselineSearch(catalog) };
    for (const split of ['tune', 'heldout']) {
      const questions = set.questions.filter((q) => q.split === split);
      rows.push({
        catalog: set.catalog, split, operations: catalog.operations.length,
        cemcp: score(questions, engines.cemcp), baseline: score(questions, engines.baseline),
      });
    }
  }
  return rows;
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;

export function formatTable(rows) {
  const lines = [
    '| catalog | ops | split | n | top-1 | top-5 | MRR | p50 ms | baseline top-1 | top-5 | MRR | p50 ms |',
    '|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.catalog} | ${r.operations} | ${r.split} | ${r.cemcp.n} | ${pct(r.cemcp.top1)} | ${pct(r.cemcp.top5)} | ${r.cemcp.mrr.toFixed(3)} | ${r.cemcp.p50Ms.toFixed(2)} `
      + `| ${pct(r.baseline.top1)} | ${pct(r.baseline.top5)} | ${r.baseline.mrr.toFixed(3)} | ${r.baseline.p50Ms.toFixed(2)} |`);
  }
  for (const split of ['tune', 'heldout']) {
    const part = rows.filter((r) => r.split === split);
    const n = part.reduce((s, r) => s + r.cemcp.n, 0);
    const mean = (pick) => part.reduce((s, r) => s + pick(r) * r.cemcp.n, 0) / Math.max(1, n);
    lines.push(`| **all** | | ${split} | ${n} | ${pct(mean((r) => r.cemcp.top1))} | ${pct(mean((r) => r.cemcp.top5))} | ${mean((r) => r.cemcp.mrr).toFixed(3)} | `
      + `| ${pct(mean((r) => r.baseline.top1))} | ${pct(mean((r) => r.baseline.top5))} | ${mean((r) => r.baseline.mrr).toFixed(3)} | |`);
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await evaluateSearch();
  process.stdout.write(`${formatTable(rows)}\n`);
  if (process.argv.includes('--misses')) {
    for (const r of rows.filter((row) => row.split === 'tune')) {
      for (const m of r.cemcp.misses) {
        process.stdout.write(`${r.catalog} ${m.question.id} rank ${m.rank < 0 ? '-' : m.rank + 1}: "${m.question.q}" want ${m.question.answers.join('|')} got ${m.got.join(', ')}\n`);
      }
    }
  }
}
