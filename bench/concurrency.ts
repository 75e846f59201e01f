// Many HTTP sessions at once: `cemcp serve --http` on a free loopback port, 64 official SDK clients
// over Streamable HTTP, each running the one-call program several times, all at the same time.
// Reports errors and execute latency p50/p95 under that load. Imported by the runner.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ONE_CALL_PROGRAM, percentiles, type Percentiles } from './speed.js';

export interface ConcurrencyResult {
  readonly sessions: number;
  readonly runsPerSession: number;
  /** Runs that failed or answered isError, and sessions that could not connect. */
  readonly errors: number;
  readonly firstError?: string;
  readonly execute: Percentiles;
  readonly wallMs: number;
}

/** Starts the gateway over HTTP and resolves with its /mcp URL from its stderr line. */
export async function startHttp(cliPath: string, configFile: string, env: Record<string, string> = {}): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--config', configFile, '--http', '--port', '0'], { env: { ...getDefaultEnvironment(), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cemcp serve --http did not announce its URL in 60 s:\n${stderr}`)), 60_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = /serving Streamable HTTP at (\S+)/.exec(stderr)?.[1];
      // Wait for the upstreams too, so the runs measure serving, not start-up.
      if (found && /\d+ of \d+ upstreams ready/.test(stderr)) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.on('exit', (code) => reject(new Error(`cemcp serve --http exited (${code}):\n${stderr}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

export async function measureConcurrency(cliPath: string, configFile: string, sessions = 64, runsPerSession = 5): Promise<ConcurrencyResult> {
  const gateway = await startHttp(cliPath, configFile);
  const clients: Client[] = [];
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const fail = (why: string) => {
    errors++;
    firstError ??= why;
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: sessions }, async (_, i) => {
      const client = new Client({ name: `cemcp-bench-${i}`, version: '1.0.0' });
      try {
        await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
        clients.push(client);
      } catch (error) {
        return fail(`session ${i} did not connect: ${String(error)}`);
      }
      for (let run = 0; run < runsPerSession; run++) {
        const t = performance.now();
        try {
          const result = (await client.callTool({ name: 'execute', arguments: { code: ONE_CALL_PROGRAM } })) as CallToolResult;
          latencies.push(performance.now() - t);
          if (result.isError) fail(`session ${i}: ${JSON.stringify(result.content).slice(0, 300)}`);
        } catch (error) {
          fail(`session ${i}: ${String(error)}`);
        }
      }
    }));
    const wallMs = Math.round(performance.now() - started);
    return { sessions, runsPerSession, errors, ...(firstError ? { firstError } : {}), execute: percentiles(latencies), wallMs };
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    gateway.stop();
  }
}
