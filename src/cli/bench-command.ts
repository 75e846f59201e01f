// `cemcp bench`: runs the benchmark (src/bench), writes bench/results/bench.md and bench.svg, and
// prints the report. Progress goes to stderr; only this file touches the filesystem for the bench.
// Needs a clone with its dev dependencies (the reference MCP servers); says so otherwise.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../common/index.js';
import { parseCommandArgs, type Command } from './command.js';

/** The repository (or installed package) root: dist/cli/ is two levels below it. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REFERENCE_SERVERS = ['server-everything', 'server-memory', 'server-filesystem'];

export const benchCommand: Command = {
  name: 'bench',
  summary: 'token and speed benchmarks (from a clone with its dev dependencies)',
  usage: `Usage: cemcp bench [--out DIR]

Runs the token and speed benchmarks offline (about half a minute), prints the report and writes
bench.md and bench.svg to DIR (default bench/results/). Needs a clone of the repository with its
dev dependencies (npm ci), which bring the reference MCP servers it measures.
How the figures are computed: docs/benchmarks.md.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs('bench', argv, { out: { type: 'string' } });
    const missing = REFERENCE_SERVERS.filter((name) => !existsSync(path.join(ROOT, 'node_modules/@modelcontextprotocol', name)));
    if (missing.length) {
      throw new UsageError('USAGE', `bench: the reference servers it measures are dev dependencies and are not installed beside ${ROOT} `
        + `(missing @modelcontextprotocol/${missing.join(', @modelcontextprotocol/')}). Run it from a clone: git clone …; npm ci; npm run bench`);
    }
    const { renderChart, renderReport, runBench } = await import('../bench/index.js');
    const started = Date.now();
    const log = io.logger(false);
    const result = await runBench({
      cliPath: path.join(ROOT, 'dist/cli/main.js'),
      rootDir: ROOT,
      env: io.env,
      progress: (line) => log.log('info', `bench: ${line}`),
    });
    const out = path.resolve(values.out ?? path.join(ROOT, 'bench/results'));
    await mkdir(out, { recursive: true });
    const report = renderReport(result);
    await writeFile(path.join(out, 'bench.md'), report);
    await writeFile(path.join(out, 'bench.svg'), renderChart(result));
    io.stdout(report);
    log.log('info', `bench: wrote ${path.join(out, 'bench.md')} and bench.svg in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  },
};
