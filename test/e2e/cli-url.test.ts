// `cemcp exec --url` and `cemcp search --url` reuse a running `cemcp serve --http` (official SDK
// Streamable HTTP client) instead of starting every upstream again.
import { execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, spawnHttpGateway, tempDir, writeConfig } from './harness.js';

const run = promisify(execFile);
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

async function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

describe('cemcp exec/search --url', () => {
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    ({ child, url } = await spawnHttpGateway(writeConfig(tempDir())));
  });

  afterAll(async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  it('runs a program on the running gateway', async () => {
    const { stdout, code } = await cli(['exec', '--url', url, 'return await everything.get_sum({ a: 2, b: 3 })']);
    expect(stdout.trim()).toMatch(/\b5\b/);
    expect(code).toBe(0);
  });

  it('keeps state between two CLI runs because the upstreams stay up', async () => {
    await cli(['exec', '--url', url, "await memory.create_entities({ entities: [{ name: 'Url', entityType: 'cli', observations: [] }] });"]);
    const { stdout } = await cli(['exec', '--url', url, 'return (await memory.read_graph({})).entities.map((e) => e.name)']);
    expect(stdout.trim()).toBe('["Url"]');
  });

  it('searches on the running gateway', async () => {
    const { stdout, code } = await cli(['search', '--url', url, '--detail', 'name', 'sum of two numbers']);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toContain('everything.get_sum');
  });

  it('exits 1 with the error text when the program fails', async () => {
    const { stdout, code } = await cli(['exec', '--url', url, 'throw new Error("nope")']);
    expect(code).toBe(1);
    expect(stdout).toContain('nope');
  });

  it('says how to start a gateway when none answers at the URL', async () => {
    const { stderr, code } = await cli(['exec', '--url', 'http://127.0.0.1:9/mcp', 'return 1']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no cemcp gateway answered at http:\/\/127\.0\.0\.1:9\/mcp .*cemcp serve --config FILE --http/);
  });
});
