// The deployment of docs/deploy.md "Several processes", started for a test or a bench: one
// redis-server, N `cemcp serve --http` processes of the built CLI sharing it (cemcp.store redis)
// with the real server-memory upstream, and HAProxy in front. Each process can be killed
// (SIGKILL) and started again on its port. Used by test/deploy/ and bench/cluster-*.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startHaproxy, startRedis, type HaproxyFrontend, type LocalHaproxy, type LocalRedis } from './local-servers.js';

// test/support/ here; dist-bench/test/support/ when the bench is built.
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, HERE.includes(`${path.sep}dist-bench${path.sep}`) ? '../../..' : '../..');
const CLI = path.join(ROOT, 'dist/cli/main.js');

function serverEntry(pkg: string): string {
  const require = createRequire(path.join(ROOT, 'package.json'));
  const dir = path.dirname(require.resolve(`${pkg}/package.json`));
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  return path.join(dir, bin ?? 'dist/index.js');
}

export interface GatewayProcess {
  readonly name: string;
  readonly port: number;
  /** Its own /mcp, bypassing the load balancer. */
  readonly url: string;
  readonly running: boolean;
  /** Everything it wrote to stderr since it last started. */
  stderr(): string;
  /** SIGKILL: nothing runs on the way out, as when a machine dies. */
  kill(): Promise<void>;
  /** Starts it again on its port; resolves once its upstream is ready. */
  start(): Promise<void>;
}

export interface GatewayCluster {
  readonly redis: LocalRedis;
  readonly haproxy: LocalHaproxy;
  readonly gateways: readonly GatewayProcess[];
  /** The load balancer's /mcp, by frontend name. */
  readonly urls: Readonly<Record<string, string>>;
  /** The file server-memory keeps its graph in (every process's upstream shares it). */
  readonly memoryFile: string;
  readonly configFile: string;
  close(): Promise<void>;
}

export interface GatewayClusterOptions {
  readonly processes?: number;
  readonly frontends: readonly HaproxyFrontend[];
  /** Extra cemcp settings (merged over the cluster's store and sessions). */
  readonly cemcp?: Record<string, unknown>;
  /** cemcp.store.commandTimeoutMs (default 1 s): a machine with far more work than cores delays the answers past it. */
  readonly redisCommandTimeoutMs?: number;
  /** Entities server-memory starts with (written to its file before any process starts: reads then never race a write). */
  readonly memorySeed?: readonly { readonly name: string; readonly entityType: string; readonly observations: readonly string[] }[];
}

export async function startGatewayCluster(options: GatewayClusterOptions): Promise<GatewayCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cemcp-cluster-'));
  const memoryFile = path.join(dir, 'memory.jsonl');
  const configFile = path.join(dir, 'mcp.json');
  if (options.memorySeed) writeFileSync(memoryFile, options.memorySeed.map((e) => JSON.stringify({ type: 'entity', ...e })).join('\n'));
  writeFileSync(configFile, JSON.stringify({
    mcpServers: { memory: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-memory')], env: { MEMORY_FILE_PATH: memoryFile } } },
    cemcp: { store: { type: 'redis', url: '${REDIS_URL}', encryptionKeys: ['${CEMCP_STORE_KEY}'], ...(options.redisCommandTimeoutMs ? { commandTimeoutMs: options.redisCommandTimeoutMs } : {}) }, typecheck: { mode: 'off' }, ...options.cemcp },
  }, null, 2));
  const redis = await startRedis();
  const env = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '',
    REDIS_URL: redis.url, CEMCP_STORE_KEY: randomBytes(32).toString('base64'),
  };
  const gateways: ManagedGateway[] = [];
  try {
    for (let i = 1; i <= (options.processes ?? 3); i++) gateways.push(new ManagedGateway(`g${i}`, await freePort(), configFile, env));
    await Promise.all(gateways.map((g) => g.start()));
  } catch (error) {
    await Promise.allSettled(gateways.map((g) => g.kill()));
    await redis.stop();
    throw error;
  }
  const haproxy = await startHaproxy(options.frontends, gateways.map((g) => ({ name: g.name, port: g.port })), dir);
  return {
    redis, haproxy, gateways, memoryFile, configFile,
    urls: Object.fromEntries(Object.entries(haproxy.ports).map(([name, port]) => [name, `http://127.0.0.1:${port}/mcp`])),
    async close() {
      await haproxy.stop();
      await Promise.allSettled(gateways.map((g) => g.kill()));
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SERVING = /serving Streamable HTTP at (\S+)/;
const SETTLED = /\d+ of \d+ upstreams ready/;

class ManagedGateway implements GatewayProcess {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(readonly name: string, readonly port: number, private readonly configFile: string, private readonly env: Record<string, string>) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  stderr(): string {
    return this.output;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.output = '';
    // --allowed-host: requests come through the load balancer, Host naming its port, not this one.
    const child = spawn(process.execPath, [CLI, 'serve', '--config', this.configFile, '--http', '--port', String(this.port), '--allowed-host', '127.0.0.1'], {
      env: this.env, stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString('utf8');
    });
    const deadline = Date.now() + 90_000;
    while (!(SERVING.test(this.output) && SETTLED.test(this.output))) {
      if (child.exitCode !== null) throw new Error(`gateway ${this.name} exited (${child.exitCode}) at start: ${this.output.slice(-2_000)}`);
      if (Date.now() > deadline) throw new Error(`gateway ${this.name} was not ready after 90 s: ${this.output.slice(-2_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (!/1 of 1 upstreams ready/.test(this.output)) throw new Error(`gateway ${this.name}: its memory upstream failed: ${this.output.slice(-2_000)}`);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
