// `npm run bench` (and `cemcp bench` from a clone): runs the benchmark, writes bench/results/bench.md
// and bench.svg (or --out DIR) and prints the report. Progress goes to stderr. The only file of the
// bench that touches process, argv or the filesystem for results.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderChart } from './chart.js';
import { CLI_PATH, REPO_ROOT } from './paths.js';
import { renderReport } from './report.js';
import { runBench } from './run-bench.js';

const REFERENCE_SERVERS = ['server-everything', 'server-memory', 'server-filesystem'];

async function main(): Promise<void> {
  // --quick: a smoke run (fewer samples, 200 memory runs, 8 sessions); its figures are not the report's.
  const { values } = parseArgs({ options: { out: { type: 'string' }, quick: { type: 'boolean' } }, strict: true });
  const missing = REFERENCE_SERVERS.filter((name) => !existsSync(path.join(REPO_ROOT, 'node_modules/@modelcontextprotocol', name)));
  if (missing.length) throw new Error(`the reference servers it measures are dev dependencies and are not installed (missing @modelcontextprotocol/${missing.join(', @modelcontextprotocol/')}): run npm ci first`);
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is not built: run npm run build first (npm run bench does)`);
  const started = Date.now();
  const result = await runBench({
    cliPath: CLI_PATH,
    rootDir: REPO_ROOT,
    env: process.env,
    progress: (line) => process.stderr.write(`bench: ${line}\n`),
    ...(values.quick ? { speedIterations: 10, memoryRuns: 200, sessions: 8 } : {}),
  });
  const out = path.resolve(values.out ?? path.join(REPO_ROOT, 'bench/results'));
  await mkdir(out, { recursive: true });
  const report = renderReport(result);
  await writeFile(path.join(out, 'bench.md'), report);
  await writeFile(path.join(out, 'bench.svg'), renderChart(result));
  process.stdout.write(report);
  process.stderr.write(`bench: wrote ${path.join(out, 'bench.md')} and bench.svg in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
