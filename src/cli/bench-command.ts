// `cemcp bench`: a thin entry to the repository's bench package (bench/, built to dist-bench/ by
// `npm run bench`), run as its own process. The bench is not part of the installed package and
// nothing in src/ imports it; from an installed copy this says how to run it from a clone.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../common/index.js';
import { parseCommandArgs, type Command } from './command.js';

/** The repository (or installed package) root: dist/cli/ is two levels below it. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const benchCommand: Command = {
  name: 'bench',
  summary: 'token and speed benchmarks (from a clone: npm run bench)',
  usage: `Usage: cemcp bench [--out DIR] [--quick]

Runs the repository's benchmark (bench/, built by npm run bench into dist-bench/): prints the report
and writes bench.md and bench.svg to DIR (default bench/results/). It needs a clone of the
repository with its dev dependencies (npm ci), which bring the reference MCP servers it measures.
--quick is a smoke run with fewer samples. How the figures are computed: docs/benchmarks.md.
`,
  async run(argv, io) {
    parseCommandArgs('bench', argv, { out: { type: 'string' }, quick: { type: 'boolean' } });
    const entry = path.join(ROOT, 'dist-bench/bench/main.js');
    if (!existsSync(path.join(ROOT, 'bench'))) {
      throw new UsageError('USAGE', `bench: the benchmark is not part of the installed package (it measures reference servers that are dev dependencies). `
        + 'Run it from a clone of the repository: npm ci && npm run bench');
    }
    if (!existsSync(entry)) throw new UsageError('USAGE', `bench: ${path.relative(process.cwd(), entry) || entry} is not built; run npm run bench (it builds and runs it)`);
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--expose-gc', entry, ...argv], { cwd: ROOT, env: io.env, stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => io.stdout(chunk));
      child.on('error', reject);
      child.on('close', (status) => resolve(status ?? 1));
    });
    if (code !== 0) process.exitCode = code;
  },
};
