// Escape battery, part 6: secrets and other sessions. The gateway's environment, an upstream's
// configured env and literal config values never reach a program (nor an upstream they were not
// declared for); globals and prototypes set by one run are invisible to the next, to a concurrent
// run on the same session, and to another HTTP session.
import type { ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, search, spawnHttpGateway, textOf } from '../e2e/harness.js';
import {
  expectNoLeak, expectNoSecret, expectServes, GATEWAY_SECRET, gatewayEnv, returns, runCase, startSecurityGateway,
  writeSecurityConfig, type Case, type SecurityGateway,
} from './gateway.js';

const SECRET_VARS = ['CEMCP_TEST_GATEWAY_SECRET', 'CEMCP_TEST_UPSTREAM_SECRET', 'HOSTILE_TOKEN', 'FIXTURE_TOKEN', 'HOSTILE_LITERAL'];

/** Run 1 leaves every kind of trace; later runs must see none of it. */
const POLLUTER = `globalThis.__battery = 'leaked'; Object.prototype.polluted = 'yes'; Array.prototype.push = null;
  JSON.parse = () => 'forged'; String.prototype.trim = () => 'forged'; Symbol.for('battery');
  try { ToolError = null; } catch {} try { console.log = null; } catch {}
  Function.prototype.call = function () { return 'forged'; };
  return 'polluted';`;

const CLEAN_CHECK = `return [typeof globalThis.__battery, ({}).polluted === undefined, typeof [].push, JSON.parse('1'), ' x '.trim(),
  typeof ToolError, typeof console.log, Math.max.call(null, 1, 2), (await fixture.echo({ value: 'fresh' })).value];`;

const cases: Case[] = [
  {
    name: 'an upstream sees only its declared env: none of the gateway\'s or other upstreams\' secrets',
    code: `const env = await everything.get_env({}); return JSON.stringify(env);`,
    hostPathsAllowed: true,
    expect: (r) => {
      expect(r.isError, r.text).toBe(false);
      expect(r.text).toContain('declared-for-everything');
      expectNoSecret(r.text);
      for (const name of SECRET_VARS) expect(r.text).not.toContain(name);
    },
  },
  {
    name: '${VAR} in tool arguments is passed literally, never expanded by the gateway',
    code: `return await fixture.echo({ value: ['\${CEMCP_TEST_GATEWAY_SECRET}', '\${CEMCP_TEST_UPSTREAM_SECRET}', '\${HOME}', '\${CEMCP_CONFIG_DIR}'] });`,
    expect: returns('{"value":["${CEMCP_TEST_GATEWAY_SECRET}","${CEMCP_TEST_UPSTREAM_SECRET}","${HOME}","${CEMCP_CONFIG_DIR}"]}'),
  },
  {
    name: '${VAR} in program text is not expanded either',
    code: 'return "${CEMCP_TEST_GATEWAY_SECRET}" + `$' + '{"CEMCP_TEST_UPSTREAM_SECRET"}`;',
    expect: returns('${CEMCP_TEST_GATEWAY_SECRET}CEMCP_TEST_UPSTREAM_SECRET'),
  },
  {
    name: 'no route to the environment from the guest: process, std, os, import.meta',
    code: `const out = [typeof process, typeof std, typeof os, typeof environment, typeof env];
      try { out.push(typeof eval('import.meta')); } catch (e) { out.push(e.name); }
      try { out.push(typeof (await import('std')).getenv); } catch (e) { out.push(e.name); }
      return out;`,
    expect: (r) => {
      const out = JSON.parse(r.text) as string[];
      expect(out.slice(0, 5)).toEqual(Array(5).fill('undefined'));
      expect(out.slice(5).every((x) => /Error$/.test(x))).toBe(true);
    },
  },
  {
    name: 'the memory upstream cannot be pointed at the gateway\'s config: its file path is fixed by config',
    code: `const g = await memory.read_graph({}); return JSON.stringify(g).includes('mcpServers');`,
    expect: returns('false'),
  },
  {
    name: 'a run that pollutes everything it can reach …',
    code: POLLUTER,
    expect: returns('polluted'),
  },
  ...[1, 2, 3, 4].map((n): Case => ({
    name: `… leaves nothing for the next runs (check ${n}, across both pool workers)`,
    code: CLEAN_CHECK,
    expect: returns('["undefined",true,"function",1,"x","function","function",2,"fresh"]'),
  })),
];

describe('escape battery: secrets and sessions (stdio)', () => {
  let gateway: SecurityGateway;

  beforeAll(async () => {
    gateway = await startSecurityGateway({ upstreams: ['everything', 'memory', 'fixture'] });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  for (const c of cases) it(c.name, () => runCase(gateway, c));

  it('search answers and the tool definitions carry no secret', async () => {
    const found = await search(gateway.client, { query: 'env echo sum graph', detail: 'full', limit: 50 });
    expectNoSecret(found.text);
    const { tools } = await gateway.client.listTools();
    expectNoLeak(JSON.stringify(tools));
  });

  it('a concurrent run on the same session does not see another run\'s globals', async () => {
    const barrier = `barrier-${Date.now()}`;
    const first = gateway.run(`globalThis.__battery = 'A'; Object.prototype.polluted = 'A';
      await memory.create_entities({ entities: [{ name: '${barrier}', entityType: 'barrier', observations: [] }] });
      try { await fixture.hang({}); } catch {}
      return [globalThis.__battery, ({}).polluted];`);
    // The barrier proves run A has set its globals and is still running when run B starts.
    await expect.poll(async () => (await gateway.run(`return (await memory.search_nodes({ query: '${barrier}' })).entities.length`)).text, { timeout: 10_000 }).toBe('1');
    const second = await gateway.run(`return [typeof globalThis.__battery, ({}).polluted === undefined];`);
    expect(second).toEqual({ text: '["undefined",true]', isError: false });
    expect(await first).toEqual({ text: '["A","A"]', isError: false });
    await expectServes(gateway);
  });
});

describe('escape battery: two Streamable HTTP sessions', () => {
  let child: ChildProcess | undefined;
  let url = '';
  const clients: Client[] = [];

  beforeAll(async () => {
    const configFile = writeSecurityConfig({ upstreams: ['memory', 'fixture'] });
    ({ child, url } = await spawnHttpGateway(configFile, gatewayEnv()));
    for (let i = 0; i < 2; i++) {
      const client = new Client({ name: `cemcp-security-${i}`, version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      clients.push(client);
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('a session running at the same time as another cannot see its globals or prototypes', async () => {
    const [a, b] = clients as [Client, Client];
    const barrier = `http-barrier-${Date.now()}`;
    const first = execute(a, `globalThis.__battery = 'session A'; Object.prototype.polluted = 'A'; Array.prototype.secret = '${GATEWAY_SECRET.slice(0, 4)}';
      await memory.create_entities({ entities: [{ name: '${barrier}', entityType: 'barrier', observations: [] }] });
      try { await fixture.hang({}); } catch {}
      return globalThis.__battery;`);
    await expect.poll(async () => (await execute(b, `return (await memory.search_nodes({ query: '${barrier}' })).entities.length`)).text, { timeout: 10_000 }).toBe('1');
    const seen = await execute(b, `return [typeof globalThis.__battery, ({}).polluted === undefined, [].secret === undefined];`);
    expect(seen).toEqual({ text: '["undefined",true,true]', isError: false });
    expect(await first).toEqual({ text: 'session A', isError: false });
  });

  it('each session still serves afterwards, and neither output carries a secret', async () => {
    for (const client of clients) {
      const result = await client.callTool({ name: 'execute', arguments: { code: 'return [1 + 1, typeof globalThis.__battery]' } });
      const text = textOf(result);
      expect(text).toBe('[2,"undefined"]');
      expectNoLeak(text);
    }
  });
});
