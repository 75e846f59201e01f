// The command line as a user meets it: --version, per-command --help, exit 2 for usage errors
// before any upstream is spawned, --json output, exec without a program on a terminal, the port
// probe, --allowed-host behind a proxy and the warning beyond loopback.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, FIXTURE_SERVER, ROOT, spawnHttpGateway, tempDir } from './harness.js';

const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const cemcp = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', input, timeout: 60_000 });
/** The same, without blocking, so that independent runs overlap. */
const cemcpAsync = (args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  const child = execFile(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
    resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
  });
  child.stdin?.end();
});

let dir: string;
let config: string;
let marker: string;

/** An upstream that leaves `mark` behind when the gateway spawns it (a script: `node -e` is refused). */
function tripwire(folder: string, mark: string): { command: string; args: string[]; env: Record<string, string> } {
  const script = path.join(folder, 'tripwire.mjs');
  writeFileSync(script, 'import { writeFileSync } from "node:fs"; writeFileSync(process.env.MARK, "x");\n');
  return { command: process.execPath, args: [script], env: { MARK: mark } };
}

beforeAll(() => {
  dir = tempDir('cemcp-cli-');
  marker = path.join(dir, 'spawned');
  config = path.join(dir, 'mcp.json');
  // `tripwire` leaves a file behind when the gateway spawns it: usage errors must not get that far.
  writeFileSync(config, JSON.stringify({
    mcpServers: {
      fixture: { command: process.execPath, args: [FIXTURE_SERVER] },
      tripwire: tripwire(dir, marker),
    },
  }), { mode: 0o600 });
});

describe('cemcp command line', () => {
  it('prints its version, the package version', () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const run = cemcp([flag]);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
  });

  it('has a --help for every command, and lists them all', async () => {
    const [top, exec, byHelp] = await Promise.all([cemcpAsync(['--help']), cemcpAsync(['exec', '--help']), cemcpAsync(['help', 'serve'])]);
    expect(top.status).toBe(0);
    for (const name of ['serve', 'search', 'exec', 'types', 'doctor', 'init', 'audit', 'bench']) expect(top.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(exec.status).toBe(0);
    expect(exec.stdout).toMatch(/^Usage: cemcp exec/);
    expect(byHelp.stdout).toMatch(/^Usage: cemcp serve/);
  });

  // Every command's own usage errors are tested in process (src/cli/commands.test.ts); these
  // check the exit code, stderr and that nothing was spawned, end to end.
  it.concurrent.each([
    [['serve', '--config', '$CONFIG', '--bogus'], /^cemcp: serve: Unknown option '--bogus'\nRun "cemcp serve --help" for its options\.\n$/],
    [['search', '--config', '$CONFIG'], /^cemcp: search: give a query/],
    [['srve'], /^cemcp: unknown command "srve" \(did you mean "serve"\?\)/],
    [[], /^cemcp: no command given/],
  ])('exits 2 before spawning anything: cemcp %j', async (args, message) => {
    const run = await cemcpAsync(args.map((a) => (a === '$CONFIG' ? config : a)));
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(2);
    expect(existsSync(marker)).toBe(false);
  });

  it('exits 3 with the file and path for a bad config, before spawning anything', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ mcpServers: { tripwire: tripwire(dir, marker) }, cemcp: { limits: { cpuMS: 1 } } }), { mode: 0o600 });
    const run = cemcp(['exec', '--config', bad, 'return 1']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`cemcp: ${bad}: cemcp.limits.cpuMS: unknown key "cpuMS" (did you mean "cpuMs"?)`);
  });

  it('refuses exec with no program on a terminal instead of waiting', () => {
    // `script` gives the child a pseudo-terminal as stdin.
    const command = [process.execPath, CLI, 'exec', '--config', config].map((a) => `'${a}'`).join(' ');
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { env, encoding: 'utf8', timeout: 30_000 });
    expect(run.stdout).toContain('exec: no program given. Pass it as an argument');
    expect(run.status).toBe(2);
    expect(existsSync(marker)).toBe(false);
  });

  it('answers search, exec and types as JSON with --json', { timeout: 240_000 }, () => {
    const config = path.join(dir, 'fixture.json');
    writeFileSync(config, JSON.stringify({ mcpServers: { fixture: { command: process.execPath, args: [FIXTURE_SERVER] } } }), { mode: 0o600 });
    const search = cemcp(['search', '--config', config, '--server', 'fixture', '--json', 'echo arguments']);
    expect(search.status, search.stderr).toBe(0);
    const hits = JSON.parse(search.stdout) as { callName: string; signature: string }[];
    expect(hits[0]).toMatchObject({ callName: 'fixture.echo', server: 'fixture', tool: 'echo' });
    expect(hits[0]!.signature).toContain('echo');

    const exec = cemcp(['exec', '--config', config, '--json'], 'return (await fixture.echo({ value: 7 }))');
    expect(exec.status, exec.stderr).toBe(0);
    expect(JSON.parse(exec.stdout)).toMatchObject({ ok: true, text: '{"value":7}', cut: false, calls: [{ server: 'fixture', tool: 'echo' }] });

    const failed = cemcp(['exec', '--config', config, '--json', 'throw new Error("no")']);
    expect(failed.status).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ ok: false, errorCode: 'GUEST_THREW' });

    const types = cemcp(['types', '--config', config, '--json']);
    expect(types.status, types.stderr).toBe(0);
    expect((JSON.parse(types.stdout) as { callName: string }[]).map((op) => op.callName)).toContain('fixture.ping');
  });
});

describe('cemcp serve --http', () => {
  it('finds a port in use before spawning any upstream', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const fresh = tempDir('cemcp-cli-port-');
      const mark = path.join(fresh, 'spawned');
      const file = path.join(fresh, 'mcp.json');
      writeFileSync(file, JSON.stringify({ mcpServers: { tripwire: tripwire(fresh, mark) } }), { mode: 0o600 });
      const run = cemcp(['serve', '--config', file, '--http', '--port', String(port)]);
      expect(run.stderr).toContain(`cemcp: --http: 127.0.0.1:${port} is already in use (another cemcp?); choose another with --port N (0 picks a free port)`);
      expect(run.status).toBe(2);
      expect(existsSync(mark)).toBe(false);
    } finally {
      taken.close();
    }
  });

  describe('behind a reverse proxy', () => {
    let gateway: Awaited<ReturnType<typeof spawnHttpGateway>>;
    beforeAll(async () => {
      const fresh = tempDir('cemcp-cli-proxy-');
      const file = path.join(fresh, 'mcp.json');
      writeFileSync(file, JSON.stringify({ mcpServers: { fixture: { command: process.execPath, args: [FIXTURE_SERVER] } }, cemcp: { http: { allowedOrigins: ['https://app.example.com'] } } }), { mode: 0o600 });
      gateway = await spawnHttpGateway(file, env, ['--allowed-host', 'mcp.example.com']);
    });
    afterAll(() => {
      gateway?.child.kill('SIGTERM');
    });

    const initialize = (url: string, headers: Record<string, string>) => new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
      const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end(body);
    });

    it('accepts the Host and Origin it was told about, and only those', async () => {
      expect(await initialize(gateway.url, { host: 'mcp.example.com' })).toBe(200);
      expect(await initialize(gateway.url, { host: 'MCP.example.com:443', origin: 'https://app.example.com' })).toBe(200);
      expect(await initialize(gateway.url, { host: 'evil.example.com' })).toBe(403);
      expect(await initialize(gateway.url, { host: 'mcp.example.com', origin: 'https://evil.example.com' })).toBe(403);
    });
  });

  it('refuses to bind beyond loopback without cemcp.auth, before any upstream is spawned', () => {
    const run = cemcp(['serve', '--config', config, '--http', '--port', '0', '--host', '0.0.0.0']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--host 0.0.0.0 is reachable beyond this machine');
    expect(run.stderr).toContain('--insecure-no-auth');
    expect(existsSync(marker)).toBe(false);
  });

  it('warns loudly when bound beyond loopback with --insecure-no-auth', async () => {
    const fresh = tempDir('cemcp-cli-open-');
    const file = path.join(fresh, 'mcp.json');
    writeFileSync(file, JSON.stringify({ mcpServers: {} }), { mode: 0o600 });
    const gateway = await spawnHttpGateway(file, env, ['--host', '0.0.0.0', '--insecure-no-auth']);
    try {
      await expect.poll(() => gateway.stderr()).toContain('cemcp does NOT authenticate requests');
      expect(gateway.stderr()).toMatch(/cemcp warning: !!! http:\/\/0\.0\.0\.0:\d+\/mcp is reachable beyond this machine/);
    } finally {
      gateway.child.kill('SIGTERM');
    }
  });
});
