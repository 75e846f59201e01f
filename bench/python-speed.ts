// `npm run bench:python`: the Python engine's speed beside the JavaScript engine's, engine level (no
// MCP), alone (python-bench.ts measures; `npm run bench` puts the same table in its report).
// Prints a markdown table. CEMCP_BENCH_SAMPLES and CEMCP_BENCH_POOL change the samples and pool size.
import os from 'node:os';
import { measurePythonSpeed, renderPythonTable } from './python-bench.js';

async function main(): Promise<void> {
  const samples = Number(process.env['CEMCP_BENCH_SAMPLES'] ?? 15);
  const poolSize = Number(process.env['CEMCP_BENCH_POOL'] ?? 2);
  const load = os.loadavg()[0]!.toFixed(2);
  const result = await measurePythonSpeed({ samples, poolSize, progress: (line) => process.stderr.write(`bench:python: ${line}\n`) });
  process.stdout.write([
    `Python engine beside JavaScript (engine level, no MCP; ${samples} samples; pool of ${result.poolSize}; ${os.cpus().length} cores, load average ${load} at the start, ${os.loadavg()[0]!.toFixed(2)} at the end)`,
    '',
    ...renderPythonTable(result),
    '',
  ].join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:python: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
