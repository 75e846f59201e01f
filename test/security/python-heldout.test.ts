// The held-out Python escape battery: every probe (python-heldout-b.ts, then -a.ts) runs against the
// built `cemcp serve` over stdio (official SDK client, real npm upstreams, secrets in the gateway's env
// and config), then must be contained: its own outcome, no secret or host path, no connection to the
// listeners, no file made on the host, and the gateway still answers `return 6*7`. Then two HTTP sessions.
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SERVER, spawnHttpGateway } from '../e2e/harness.js';
import { CONFIG_SECRET, gatewayEnv, startSecurityGateway, writeSecurityConfig, type SecurityGateway, type SecurityGatewayOptions } from './gateway.js';
import { HALF_A } from './python-heldout-a.js';
import { HALF_B } from './python-heldout-b.js';
import { CROSS_SESSION, CROSS_SESSION_A, type SessionProbe } from './python-heldout-sessions.js';
import { expectNothingHostSide, makeContext, markerExists, runPython, startTraps, type Probe, type ProbeContext, type PyResult, type Traps } from './python-heldout-kit.js';

/** Generous for pyodide (imports cost CPU in WebAssembly) yet every limit is reached in seconds. */
const OPTIONS: SecurityGatewayOptions = {
  upstreams: ['everything', 'memory', 'fixture'],
  // A second upstream whose config entry holds a secret literally: the config file must stay unreadable.
  extra: { vault: { command: process.execPath, args: [FIXTURE_SERVER], env: { VAULT_LITERAL: CONFIG_SECRET } } },
  limits: { cpuMs: 3_000, wallMs: 6_000, memoryBytes: 32 * 2 ** 20, maxResultBytes: 256 * 2 ** 10, maxToolCalls: 20 },
  settings: { python: { enabled: true, poolSize: 1 } },
};

/** The gateway still runs Python (and answers within its limits). */
async function expectAnswers(client: Client): Promise<void> {
  const after = await runPython(client, 'return 6 * 7');
  expect(after, 'the gateway stopped answering a plain run after the probe').toEqual({ text: '42', isError: false, errorCode: undefined });
}

/**
 * Before a probe: waits until a plain run answers again, so what an earlier probe broke (a sandbox
 * process being restarted by the backstop) is not charged to this one. Asserts nothing.
 */
async function settle(clients: readonly Client[]): Promise<void> {
  for (const client of clients) {
    for (let i = 0; i < 3; i++) if ((await runPython(client, 'return 6 * 7')).text === '42') break;
  }
}

async function runProbe(client: Client, probe: Probe, configFile: string, traps: Traps): Promise<void> {
  await settle([client]);
  const ctx = makeContext(traps, configFile); // a marker of its own: one escape does not fail the probes after it
  const [connections, datagrams] = [traps.connections(), traps.datagrams()];
  const code = probe.code(ctx);
  const results: PyResult[] = [];
  for (const program of typeof code === 'string' ? [code] : code) results.push(await runPython(client, program));
  probe.expect(results, ctx);
  for (const r of results) expectNothingHostSide(r.text, probe.hostPathsAllowed);
  expect(markerExists(ctx), 'a shell escape made the marker file').toBe(false);
  if (probe.waitAfterMs) await sleep(probe.waitAfterMs);
  await expectAnswers(client);
  expect(traps.connections() - connections, 'a TCP connection reached the listener').toBe(0);
  expect(traps.datagrams() - datagrams, 'a datagram reached the listener').toBe(0);
}

describe('held-out Python escapes over stdio', () => {
  let gateway: SecurityGateway;
  let traps: Traps;
  beforeAll(async () => {
    traps = await startTraps();
    gateway = await startSecurityGateway(OPTIONS);
    await expectAnswers(gateway.client); // the sandbox process starts and makes its snapshot here
  }, 180_000);
  afterAll(async () => {
    await gateway?.close();
    await traps?.close();
  });

  describe('half B (written before any run)', () => {
    for (const probe of HALF_B) it(probe.name, { timeout: 120_000 }, () => runProbe(gateway.client, probe, gateway.configFile, traps));
  });

  describe('half A (written after B\'s run, following what it found)', () => {
    for (const probe of HALF_A) it(probe.name, { timeout: 120_000 }, () => runProbe(gateway.client, probe, gateway.configFile, traps));
  });
});

describe('held-out Python escapes across two HTTP sessions', () => {
  let child: ChildProcess;
  let url: string;
  let traps: Traps;
  let ctx: ProbeContext;
  const clients: Client[] = [];
  beforeAll(async () => {
    traps = await startTraps();
    const configFile = writeSecurityConfig(OPTIONS);
    ({ child, url } = await spawnHttpGateway(configFile, gatewayEnv()));
    ctx = makeContext(traps, configFile);
    for (const name of ['session-a', 'session-b']) {
      const client = new Client({ name, version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      clients.push(client);
    }
    await expectAnswers(clients[0]!);
  }, 180_000);
  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await traps?.close();
  });

  const runSessionProbe = async (probe: SessionProbe): Promise<void> => {
    const [a, b] = [clients[0]!, clients[1]!];
    await settle([a, b]);
    const connections = traps.connections();
    const results: PyResult[] = [];
    for (const [i, program] of probe.programs(ctx).entries()) results.push(await runPython(i % 2 === 0 ? a : b, program));
    probe.expect(results, ctx);
    for (const r of results) expectNothingHostSide(r.text);
    expect(traps.connections() - connections).toBe(0);
    if (probe.waitAfterMs) await sleep(probe.waitAfterMs);
    await expectAnswers(b);
    await expectAnswers(a);
  };
  describe('half B', () => {
    for (const probe of CROSS_SESSION) it(probe.name, { timeout: 120_000 }, () => runSessionProbe(probe));
  });
  describe('half A', () => {
    for (const probe of CROSS_SESSION_A) it(probe.name, { timeout: 120_000 }, () => runSessionProbe(probe));
  });
});
