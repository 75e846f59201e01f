// `cemcp bench`: runs the benchmark (src/bench), writes bench/results/bench.md and bench.svg, and
// prints the report. Progress goes to stderr; only this file touches the filesystem for the bench.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart, renderReport, runBench } from '../bench/index.js';

/** The repository (or installed package) root: dist/cli/ is two levels below it. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function benchCommand(options: { out?: string | undefined }): Promise<void> {
  const started = Date.now();
  const result = await runBench({
    cliPath: path.join(ROOT, 'dist/cli/main.js'),
    rootDir: ROOT,
    env: process.env,
    progress: (line) => process.stderr.write(`cemcp bench: ${line}\n`),
  });
  const out = path.resolve(options.out ?? path.join(ROOT, 'bench/results'));
  await mkdir(out, { recursive: true });
  const report = renderReport(result);
  await writeFile(path.join(out, 'bench.md'), report);
  await writeFile(path.join(out, 'bench.svg'), renderChart(result));
  process.stdout.write(report);
  process.stderr.write(`cemcp bench: wrote ${path.join(out, 'bench.md')} and bench.svg in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
