// The Python escape battery: hostile `language: "python"` programs (python-probes.ts) against the
// built gateway over stdio (secrets in its environment, a real upstream). Each probe must end with
// its exact contained outcome, leak nothing host-side, write no host file, reach no listener, and
// leave the gateway running JavaScript and Python. python-closures.test.ts removes each closure.
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf, tempDir } from '../e2e/harness.js';
import { expectNoLeak, expectServes, GATEWAY_SECRET, startSecurityGateway, UPSTREAM_SECRET, type SecurityGateway } from './gateway.js';
import { isContained, PYTHON_PROBES, type ProbeResult, type ProbeWorld } from './python-probes.js';

const PY_LIMITS = { cpuMs: 3_000, wallMs: 10_000 };

/** The value in an answer's text: after `result:` when the program also printed; a string comes back raw. */
function valueOf(text: string): unknown {
  const marker = '\n\nresult:\n';
  const at = text.lastIndexOf(marker);
  const shown = text.startsWith('console:\n') && at !== -1 ? text.slice(at + marker.length) : text;
  try {
    return JSON.parse(shown) as unknown;
  } catch {
    return shown;
  }
}

describe('Python escape battery', () => {
  let gateway: SecurityGateway;
  let listener: Server;
  let hits = 0;
  const hostDir = tempDir('cemcp-pyescape-');
  const world: ProbeWorld = {
    marker: path.join(hostDir, 'pwned'),
    port: 0,
    hostDir,
    hostToken: `host-token-${process.pid}`,
    readableDir: path.dirname(createRequire(import.meta.url).resolve('pyodide/package.json')),
    envName: 'CEMCP_TEST_GATEWAY_SECRET',
  };

  beforeAll(async () => {
    writeFileSync(path.join(hostDir, 'secret.txt'), world.hostToken);
    listener = createServer((_req, res) => {
      hits += 1;
      res.end('reached');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    Object.assign(world, { port: (listener.address() as AddressInfo).port });
    gateway = await startSecurityGateway({ upstreams: ['memory'], limits: PY_LIMITS, settings: { python: { poolSize: 1, prestart: true } } });
    // The first Python run waits for the sandbox's interpreter snapshot.
    expect(await py('return 1')).toMatchObject({ code: 'ok', value: 1 });
  }, 240_000);
  afterAll(async () => {
    await gateway?.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  async function py(code: string): Promise<ProbeResult & { text: string }> {
    const result = (await gateway.client.callTool({ name: 'execute', arguments: { code, language: 'python' } }, undefined, { timeout: 120_000 })) as CallToolResult;
    const text = textOf(result);
    if (result.isError !== true) return { code: 'ok', value: valueOf(text), text };
    const errorCode = (result.structuredContent as { errorCode?: string } | undefined)?.errorCode ?? 'unknown';
    return { code: errorCode, message: text, text };
  }

  for (const probe of PYTHON_PROBES) {
    it(`${probe.id}: ${probe.title}`, async () => {
      let last: (ProbeResult & { text: string }) | undefined;
      for (const code of probe.runs(world)) {
        last = await py(code);
        expectNoLeak(last.text);
      }
      expect(last && isContained(last, probe.contained), `${probe.id} answered ${last?.text.slice(0, 600)}`).toBe(true);
      expect(existsSync(world.marker), 'a probe wrote a file on the host').toBe(false);
      expect(hits, 'a probe reached the loopback listener').toBe(0);
      await expectServes(gateway);
      expect(await py('return [6 * 7, __name__]')).toMatchObject({ code: 'ok', value: [42, '__main__'] });
    });
  }

  it('the host\'s own config file and build are out of reach', async () => {
    const paths = JSON.stringify([gateway.configFile, process.cwd(), world.readableDir]);
    expect(await py(`import os\nreturn [p for p in ${paths} if os.path.exists(p)]`)).toMatchObject({ code: 'ok', value: [] });
  });

  it('nothing of the gateway\'s environment or secrets is visible', async () => {
    const result = await py('import os, sys\nreturn [dict(os.environ), sys.argv, sys.executable]');
    expect(result.text).not.toContain(GATEWAY_SECRET);
    expect(result.text).not.toContain(UPSTREAM_SECRET);
    expectNoLeak(result.text);
  });
});
