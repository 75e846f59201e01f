// What the closures tests share (python-closures*.test.ts): the battery's limits, a bridge that
// answers every call, and a world each engine's probes run against (a loopback listener that counts
// connections, a host folder with a secret file, a secret in the test's environment, a fresh marker
// path), with an engine started with some closures removed.
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { tempDir } from '../e2e/harness.js';
import type { BridgeReply, Engine, HostBridge, Limits } from '../../src/sandbox/engine.js';
import type { PythonClosure } from '../../src/sandbox/python-closures.js';
import { createPythonEngine } from '../../src/sandbox/python-engine.js';
import { TIGHT_LIMITS } from './gateway.js';
import { isContained, probe, type ProbeResult, type ProbeWorld } from './python-probes.js';

// The battery's limits, with a shorter wall clock: a run past it ends at the engine's backstop (wall + grace + 5 s).
export const LIMITS: Limits = { ...TIGHT_LIMITS, cpuMs: 3_000, wallMs: 6_000 };
export const STARTUP_MS = 120_000;

/** Answers every host call with `{}`: the probes need a namespace to call, not an upstream. */
export const bridge: HostBridge = { call: async (): Promise<BridgeReply> => ({ ok: true, json: '{}' }) };

export type RunProbe = (id: string, w: ProbeWorld) => Promise<ProbeResult>;

/** Registers the world's hooks in the calling describe block and answers its helpers. */
export function closureWorld() {
  const envName = 'CEMCP_CLOSURES_TEST_SECRET';
  const envSecret = `closure-env-${process.pid}-${Date.now()}`;
  const hostToken = `closure-host-file-${process.pid}`;
  const hostDir = tempDir('cemcp-pyclosures-');
  const readableDir = path.dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
  let listener: Server;
  let hits = 0;
  let port = 0;

  beforeAll(async () => {
    writeFileSync(path.join(hostDir, 'secret.txt'), hostToken);
    // Seen by a sandbox process only when `empty-env` is removed (it then inherits this environment).
    process.env[envName] = envSecret;
    listener = createServer((_req, res) => {
      hits += 1;
      res.end('reached');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as AddressInfo).port;
  });
  afterAll(async () => {
    delete process.env[envName];
    await new Promise((resolve) => listener.close(resolve));
  });

  /** A world of its own for each engine: a fresh marker path, the hit counter reset. */
  function world(): ProbeWorld {
    hits = 0;
    return { marker: path.join(tempDir('cemcp-pyclosures-mark-'), 'pwned'), port, hostDir, hostToken, readableDir, envName };
  }

  async function withEngine(removed: readonly PythonClosure[], body: (run: RunProbe) => Promise<void>): Promise<void> {
    const engine: Engine = createPythonEngine({ poolSize: 1, graceMs: 500, maxArgumentBytes: 1 << 20, removeClosuresForTest: removed });
    try {
      const first = await engine.run({ code: 'return 1', filename: 'program.py', api: {}, limits: LIMITS }, bridge);
      expect(first.ok, JSON.stringify(first)).toBe(true);
      await body(async (id, w) => {
        let result: ProbeResult = { code: 'none' };
        for (const code of probe(id).runs(w)) {
          const outcome = await engine.run({ code, filename: 'program.py', api: { memory: ['search_nodes'] }, limits: LIMITS }, bridge);
          result = outcome.ok
            ? { code: 'ok', value: outcome.valueJson === undefined ? undefined : JSON.parse(outcome.valueJson) }
            : { code: outcome.error.code, message: `${outcome.error.name ?? ''}: ${outcome.error.message}` };
        }
        return result;
      });
    } finally {
      await engine.close();
    }
  }

  const expectContained = (id: string, result: ProbeResult): void => {
    expect(isContained(result, probe(id).contained), `${id}: ${JSON.stringify(result)}`).toBe(true);
  };
  const valueOf = (result: ProbeResult): unknown => {
    expect(result.code, JSON.stringify(result)).toBe('ok');
    return result.value;
  };
  return { world, withEngine, expectContained, valueOf, hits: () => hits, envSecret, hostToken };
}
