// Time to the first tools/list answer after spawn, over stdio with the official SDK client: `cemcp
// serve` with no upstreams against a plain SDK server (the CRM fixture) started the same way.
// Runs interleaved so both see the same machine. Imported by the runner.
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { percentiles, type Percentiles } from './speed.js';
import type { StdioCommand } from './sessions.js';

export interface StartupResult {
  /** `cemcp serve` with an empty mcpServers: spawn to the first tools/list answer. */
  readonly cemcp: Percentiles;
  /** The CRM fixture (an SDK server on Node): the same. */
  readonly direct: Percentiles;
}

async function timeFirstList(command: StdioCommand): Promise<number> {
  const started = performance.now();
  const transport = new StdioClientTransport({ command: command.command, args: [...command.args], env: getDefaultEnvironment(), stderr: 'ignore' });
  const client = new Client({ name: 'cemcp-bench-startup', version: '1.0.0' });
  try {
    await client.connect(transport);
    await client.listTools();
    return performance.now() - started;
  } finally {
    await client.close();
  }
}

export async function measureStartup(cemcp: StdioCommand, direct: StdioCommand, runs = 7): Promise<StartupResult> {
  const cemcpTimes: number[] = [];
  const directTimes: number[] = [];
  await timeFirstList(cemcp); // the first spawn warms the file cache for both
  for (let i = 0; i < runs; i++) {
    cemcpTimes.push(await timeFirstList(cemcp));
    directTimes.push(await timeFirstList(direct));
  }
  return { cemcp: percentiles(cemcpTimes), direct: percentiles(directTimes) };
}
