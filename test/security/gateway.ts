// Shared setup of the escape battery: starts the built `cemcp serve` over stdio with tight limits,
// a secret in its environment and in an upstream's env, and the hostile upstream; checks that
// nothing host-side leaks into program output and that the gateway still serves. Used by test/security only.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { CLI, execute, FIXTURE_SERVER, ROOT, serverEntry, tempDir, upstreamsSettled } from '../e2e/harness.js';

export const HOSTILE_SERVER = path.join(ROOT, 'test/fixtures/hostile-server.mjs');

/** Present in the gateway's own environment only; must never reach a program or an upstream. */
export const GATEWAY_SECRET = `gw-secret-${randomUUID()}`;
/** Expanded by the gateway into one upstream's env (`${CEMCP_TEST_UPSTREAM_SECRET}`); must never reach a program. */
export const UPSTREAM_SECRET = `up-secret-${randomUUID()}`;
/** Written literally into the config file (an upstream's env); must never reach a program. */
export const CONFIG_SECRET = `cfg-secret-${randomUUID()}`;

/** Tight limits: the battery stays fast, and every limit is reachable in well under a second of guest time. */
export const TIGHT_LIMITS = {
  cpuMs: 500,
  wallMs: 3_000,
  memoryBytes: 16 * 2 ** 20,
  stackBytes: 256 * 2 ** 10,
  maxToolCalls: 20,
  maxLogBytes: 16 * 2 ** 10,
  maxResultBytes: 256 * 2 ** 10,
  toolCallTimeoutMs: 1_000,
} as const;

/** Start-up is about a second; a gateway not answering initialize after this never will. */
const START_TIMEOUT_MS = 30_000;

export type Upstream = 'everything' | 'memory' | 'fixture' | 'hostile';

export interface SecurityGatewayOptions {
  readonly upstreams: readonly Upstream[];
  /** Mode argument of the hostile server (faults, schemas, pages). */
  readonly hostileMode?: string;
  /** Extra mcpServers entries. */
  readonly extra?: Record<string, unknown>;
  readonly limits?: Record<string, number>;
  /** More `cemcp` settings (e.g. `fetch`), beside the battery's limits. */
  readonly settings?: Record<string, unknown>;
  /** The config's top-level `openapi` sources. */
  readonly openapi?: Record<string, unknown>;
  /** Called with the gateway's pid as soon as it is spawned, before it has answered anything. */
  readonly onSpawn?: (pid: number) => void;
}

export interface SecurityGateway {
  readonly client: Client;
  /** The gateway process id (for memory checks). */
  readonly pid: number;
  readonly configFile: string;
  stderr(): string;
  /** Every MCP logging message the gateway sent this client. */
  logMessages(): readonly string[];
  run(code: string): Promise<{ text: string; isError: boolean }>;
  close(): Promise<void>;
}

function serverConfigs(dir: string, options: SecurityGatewayOptions): Record<string, unknown> {
  const node = process.execPath;
  const all: Record<Upstream, unknown> = {
    // Declares no secret: its get_env tool shows whether anyone else's leaked into its environment.
    everything: { command: node, args: [serverEntry('@modelcontextprotocol/server-everything'), 'stdio'], env: { EVERYTHING_DECLARED: 'declared-for-everything' } },
    memory: { command: node, args: [serverEntry('@modelcontextprotocol/server-memory')], env: { MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl') } },
    fixture: { command: node, args: [FIXTURE_SERVER], env: { FIXTURE_TOKEN: '${CEMCP_TEST_UPSTREAM_SECRET}' } },
    hostile: { command: node, args: [HOSTILE_SERVER, options.hostileMode ?? 'faults'], env: { HOSTILE_TOKEN: '${CEMCP_TEST_UPSTREAM_SECRET}', HOSTILE_LITERAL: CONFIG_SECRET } },
  };
  return Object.fromEntries(options.upstreams.map((name) => [name, all[name]]));
}

/** Writes the battery's config (tight limits, fast restarts) to a fresh temp dir. */
export function writeSecurityConfig(options: SecurityGatewayOptions): string {
  const dir = tempDir('cemcp-security-');
  const configFile = path.join(dir, 'mcp.json');
  const config = {
    mcpServers: { ...serverConfigs(dir, options), ...options.extra },
    ...(options.openapi ? { openapi: options.openapi } : {}),
    cemcp: { ...options.settings, limits: { ...TIGHT_LIMITS, ...options.limits }, upstreams: { restartInitialDelayMs: 100, restartMaxDelayMs: 500, connectTimeoutMs: 20_000 }, poolSize: 2 },
  };
  writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  return configFile;
}

/** The gateway's environment: a minimal one plus the two secrets. */
export function gatewayEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    CEMCP_TEST_GATEWAY_SECRET: GATEWAY_SECRET,
    CEMCP_TEST_UPSTREAM_SECRET: UPSTREAM_SECRET,
  };
}

/** A gateway with the fixture upstream for the enclosing describe block, started before and closed after it. */
export function useSecurityGateway(options: SecurityGatewayOptions = { upstreams: ['fixture'] }): () => SecurityGateway {
  let gateway: SecurityGateway | undefined;
  beforeAll(async () => {
    gateway = await startSecurityGateway(options);
  });
  afterAll(async () => {
    await gateway?.close();
  });
  return () => {
    if (!gateway) throw new Error('the security gateway did not start');
    return gateway;
  };
}

export async function startSecurityGateway(options: SecurityGatewayOptions): Promise<SecurityGateway> {
  const configFile = writeSecurityConfig(options);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'serve', '--config', configFile],
    env: gatewayEnv(),
    stderr: 'pipe',
  });
  let stderr = '';
  let onFatal: ((line: string) => void) | undefined;
  transport.stderr?.on('data', (chunk: Buffer) => {
    // Keep the tail only: a flooding upstream's stderr must not grow the test process either.
    stderr = (stderr + chunk.toString('utf8')).slice(-200_000);
    // `cemcp: …` (no severity) is the CLI's fatal error line; log lines read `cemcp warning: …`.
    const fatal = /^cemcp: .*$/m.exec(stderr);
    if (fatal) onFatal?.(fatal[0]);
  });
  const client = new Client({ name: 'cemcp-security', version: '1.0.0' });
  const logMessages: string[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    logMessages.push(typeof n.params.data === 'string' ? n.params.data : JSON.stringify(n.params.data));
  });
  const connecting = client.connect(transport);
  const pid = transport.pid;
  if (pid) options.onSpawn?.(pid);
  // A gateway that crashed half-way may stay alive without answering: fail fast and kill it.
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the gateway did not answer initialize within ${START_TIMEOUT_MS} ms; its stderr ends with: ${stderr.slice(-2_000)}`)), START_TIMEOUT_MS);
    onFatal = (line) => reject(new Error(`the gateway failed to start: ${line}`));
  });
  try {
    await Promise.race([connecting, gaveUp]);
  } catch (error) {
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await client.close().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  // Upstreams join after initialize; a hostile one may stall until its connect timeout (20 s).
  await upstreamsSettled(() => stderr, 25_000);
  return {
    client,
    pid: transport.pid ?? -1,
    configFile,
    stderr: () => stderr,
    logMessages: () => logMessages,
    run: (code) => execute(client, code),
    close: () => client.close(),
  };
}

/** Host-side facts that must never appear in anything a program gets back. */
const hostMarkers = (): string[] => [
  GATEWAY_SECRET, UPSTREAM_SECRET, CONFIG_SECRET, ROOT, os.homedir(), os.tmpdir(), 'node_modules', 'node:internal',
  'worker-entry', 'worker_threads', 'guest-run', 'guest-prelude', 'quickjs-emscripten', '/dist/', 'file://', '.js:',
];

/** Asserts that `text` carries none of the three secrets (for outputs that may name host paths on purpose). */
export function expectNoSecret(text: string): void {
  for (const secret of [GATEWAY_SECRET, UPSTREAM_SECRET, CONFIG_SECRET]) expect(text, 'output leaks a secret').not.toContain(secret);
}

/** Asserts that `text` (program output, error text) carries no secret, host path or engine internals. */
export function expectNoLeak(text: string): void {
  for (const marker of hostMarkers()) {
    if (marker && marker !== '/') expect(text, `output leaks ${JSON.stringify(marker)}`).not.toContain(marker);
  }
}

/** The gateway still runs programs (and does not carry state over from the previous one). */
export async function expectServes(gateway: SecurityGateway): Promise<void> {
  const next = await gateway.run('return [1 + 1, typeof globalThis.__battery, Object.keys(Object.prototype).length]');
  expect(next).toEqual({ text: '[2,"undefined",0]', isError: false });
}

export interface Case {
  readonly name: string;
  readonly code: string;
  /** Checks the result; containment is asserted here, leaks and service afterwards by `runCase`. */
  readonly expect: (result: { text: string; isError: boolean }) => void;
  /** The output may name host paths on purpose (an upstream's own PATH); secrets are still checked. */
  readonly hostPathsAllowed?: boolean;
}

/** Runs one adversarial program: its own expectation, then no leak, then the gateway still serves. */
export async function runCase(gateway: SecurityGateway, c: Case): Promise<void> {
  const result = await gateway.run(c.code);
  c.expect(result);
  if (c.hostPathsAllowed) expectNoSecret(result.text);
  else expectNoLeak(result.text);
  await expectServes(gateway);
}

/** A run that ended with the named error code (the model-facing text names it). */
export const endsWith = (code: string) => (r: { text: string; isError: boolean }): void => {
  expect(r.isError, r.text).toBe(true);
  expect(r.text).toContain(code);
};

/** A run that returned exactly this JSON text. */
export const returns = (json: string) => (r: { text: string; isError: boolean }): void => {
  expect(r).toEqual({ text: json, isError: false });
};

/** The gateway process's peak resident memory (VmHWM), in MiB, from /proc; undefined elsewhere. */
export function peakRssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
