// Real servers for tests, started from the OS packages on free loopback ports and stopped by the
// test: Redis (the shared SessionStore) and HAProxy (the load balancer in front of several
// gateways). `.ci/run` installs the packages when missing; a machine without them fails here with
// the command that installs them, never by skipping.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A free TCP port on 127.0.0.1 (free when asked; taken again only by a race). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Fails with how to install `command` when it is not on PATH. */
export function requireBinary(command: string, debianPackage: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error(`${command} is not installed: apt-get install -y ${debianPackage} (.ci/run does this)`);
  return found;
}

export interface LocalRedis {
  readonly port: number;
  readonly url: string;
  /** Stops the server (its data is gone: no persistence); `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A redis-server of its own: loopback only, no persistence, no config file. */
export async function startRedis(): Promise<LocalRedis> {
  const binary = requireBinary('redis-server', 'redis-server');
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const proc = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}: ${seen.slice(-500)}`)), 10_000);
      proc.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}) on port ${port}: ${seen.slice(-500)}`));
      });
    });
  };
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, stop, start };
}

/** One load-balanced entry point: a loopback port in front of the same backend servers. */
export interface HaproxyFrontend {
  readonly name: string;
  /** `hash`: by the mcp-session-id header, consistent hashing (what a deployment uses); `roundrobin`: each request to the next server. */
  readonly balance: 'hash' | 'roundrobin';
}

export interface HaproxyBackendServer {
  readonly name: string;
  readonly port: number;
}

/**
 * The HAProxy configuration of the deployment the tests run (docs/deploy.md shows it): requests
 * hashed on `mcp-session-id` (one without it, an initialize, goes round-robin), a server that
 * refuses connections retried on another at once, servers checked on /readyz every 500 ms, each
 * response naming its server in `x-cemcp-backend` (tests read it; harmless in production).
 */
export function haproxyConfig(frontends: readonly (HaproxyFrontend & { readonly port: number })[], servers: readonly HaproxyBackendServer[]): string {
  const lines = [
    'global',
    '    maxconn 4096',
    'defaults',
    '    mode http',
    '    timeout connect 1s',
    // A GET stream (server-sent events) stays open with nothing to say for a long while.
    '    timeout client 10m',
    '    timeout server 10m',
    // Generous: a client on a loaded machine may send a request's body seconds after its headers.
    '    timeout http-request 30s',
    '    retries 3',
    '    option redispatch 1',
  ];
  for (const frontend of frontends) {
    lines.push(
      `frontend ${frontend.name}`,
      `    bind 127.0.0.1:${frontend.port}`,
      `    default_backend ${frontend.name}_gateways`,
      `backend ${frontend.name}_gateways`,
      ...(frontend.balance === 'hash' ? ['    balance hdr(mcp-session-id)', '    hash-type consistent'] : ['    balance roundrobin']),
      // Readiness (docs/deploy.md, Operations): a process starting, draining or cut off from Redis gets no traffic.
      '    option httpchk GET /readyz',
      '    http-response set-header x-cemcp-backend %s',
      ...servers.map((s) => `    server ${s.name} 127.0.0.1:${s.port} check inter 500ms fall 1 rise 2`),
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface LocalHaproxy {
  /** Each frontend's port, by name. */
  readonly ports: Readonly<Record<string, number>>;
  readonly config: string;
  stop(): Promise<void>;
}

/** An haproxy of its own (OS package) in the foreground, its frontends on free loopback ports; resolves once they accept connections. */
export async function startHaproxy(frontends: readonly HaproxyFrontend[], servers: readonly HaproxyBackendServer[], dir: string): Promise<LocalHaproxy> {
  const binary = requireBinary('haproxy', 'haproxy');
  const bound = await Promise.all(frontends.map(async (f) => ({ ...f, port: await freePort() })));
  const config = haproxyConfig(bound, servers);
  const file = path.join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const proc = spawn(binary, ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  proc.stdout!.on('data', (chunk: Buffer) => (seen = (seen + chunk.toString()).slice(-4_000)));
  proc.stderr!.on('data', (chunk: Buffer) => (seen = (seen + chunk.toString()).slice(-4_000)));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  };
  const deadline = Date.now() + 10_000;
  for (const { port } of bound) {
    while (!(await accepts(port))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`haproxy did not start (port ${port}): ${seen.slice(-1_000)}\n${config}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { ports: Object.fromEntries(bound.map((f) => [f.name, f.port])), config, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
