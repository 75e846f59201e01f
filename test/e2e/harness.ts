// Starts the built `cemcp` binary against real upstream servers, with the official SDK client
// downstream. Shared by the e2e tests; it builds nothing (npm test runs tsc first).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/cli/main.js');
export const FIXTURE_SERVER = path.join(ROOT, 'test/fixtures/fixture-server.mjs');
/** An upstream that never answers initialize (reads stdin forever). */
export const HUNG_SERVER = path.join(ROOT, 'test/fixtures/hung-server.mjs');
const require = createRequire(path.join(ROOT, 'package.json'));

/** The entry script of a reference server package from npm. */
export function serverEntry(pkg: string): string {
  const dir = path.dirname(require.resolve(`${pkg}/package.json`));
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  return path.join(dir, bin ?? 'dist/index.js');
}

export function tempDir(prefix = 'cemcp-e2e-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A config with the three reference servers (and any extra entries), written to a temp dir. */
export function writeConfig(dir: string, extra: Record<string, unknown> = {}, cemcp: Record<string, unknown> = {}): string {
  const file = path.join(dir, 'mcp.json');
  const servers = {
    everything: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-everything'), 'stdio'] },
    memory: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-memory')], env: { MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl') } },
    filesystem: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-filesystem'), dir] },
    ...extra,
  };
  writeFileSync(file, JSON.stringify({ mcpServers: servers, cemcp }, null, 2));
  return file;
}

export interface RunningGateway {
  readonly client: Client;
  /** Everything the gateway wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' });

/** `serve` logs this once every upstream connected or failed (it answers clients before that). */
const SETTLED = /\d+ of \d+ upstreams ready/;

/**
 * Waits until the gateway's upstreams have all connected or failed, as its stderr says, so a test
 * sees the whole catalog. Gives up quietly after `ms`: the test's own assertions then speak.
 */
export async function upstreamsSettled(stderr: () => string, ms = 45_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!SETTLED.test(stderr()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}

export async function startStdioGateway(configFile: string, env: Record<string, string> = {}): Promise<RunningGateway> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'serve', '--config', configFile],
    env: { ...baseEnv(), ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'cemcp-e2e', version: '1.0.0' });
  await client.connect(transport);
  await upstreamsSettled(() => stderr);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** Spawns `cemcp serve --http --port 0` and waits for the URL it announces on stderr. */
export async function spawnHttpGateway(configFile: string, env: Record<string, string> = baseEnv(), extraArgs: readonly string[] = []): Promise<{ child: ChildProcess; url: string; stderr(): string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', configFile, '--http', '--port', '0', ...extraArgs], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${stderr}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /serving Streamable HTTP at (\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`gateway exited ${code}: ${stderr}`)));
  });
  await upstreamsSettled(() => stderr);
  return { child, url, stderr: () => stderr };
}

export async function startHttpGateway(configFile: string): Promise<RunningGateway & { url: string; child: ChildProcess }> {
  const { child, url, stderr } = await spawnHttpGateway(configFile);
  await upstreamsSettled(stderr);
  const client = new Client({ name: 'cemcp-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return {
    client,
    url,
    child,
    stderr,
    async close() {
      await client.close().catch(() => undefined);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function textOf(result: unknown): string {
  return ((result as CallToolResult).content ?? []).map((c) => (c.type === 'text' ? c.text : JSON.stringify(c))).join('\n');
}

export async function execute(client: Client, code: string): Promise<{ text: string; isError: boolean }> {
  const result = (await client.callTool({ name: 'execute', arguments: { code } })) as CallToolResult;
  return { text: textOf(result), isError: result.isError === true };
}

export async function search(client: Client, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }> {
  const result = (await client.callTool({ name: 'search', arguments: args })) as CallToolResult;
  return { text: textOf(result), isError: result.isError === true };
}
