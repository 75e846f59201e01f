// Inferred result types over the whole path: a program calls a server-everything tool that declares
// no outputSchema twice, with different results; `search` then shows the learned type marked
// "inferred from 2 calls", the type accepts both results and rejects a field they never had, a
// declared outputSchema stays as declared, and after a restart (and in `cemcp types`) the type is still there.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closed, validatorOf } from '../support/shapes.js';
import type { Shape } from '../../src/catalog/index.js';
import { CLI, execute, search, startStdioGateway, tempDir, writeConfig, type RunningGateway } from './harness.js';

const run = promisify(execFile);

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('inferred result types (cemcp.types.infer)', () => {
  const dir = tempDir('cemcp-inferred-');
  const config = writeConfig(dir);
  const learnedFile = path.join(dir, '.cemcp', 'learned-types.json');
  let gateway: RunningGateway | undefined;
  let results: unknown[] = [];

  beforeAll(async () => {
    gateway = await startStdioGateway(config);
    const { text, isError } = await execute(gateway.client, `
      const one = await everything.get_resource_links({ count: 1 });
      const two = await everything.get_resource_links({ count: 2 });
      await everything.get_structured_content({ location: 'New York' });
      return [one, two];`);
    expect(isError, text).toBe(false);
    results = JSON.parse(text) as unknown[];
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('shows the learned type in search answers, marked with the number of calls', async () => {
    const text = await until(async () => {
      const answer = await search(gateway!.client, { query: 'resource links', detail: 'full', limit: 3 });
      return answer.text.includes('inferred from 2 calls') ? answer.text : undefined;
    }, 'the inferred type in search');
    expect(text).toMatch(/\/\*\* inferred from 2 calls \*\/\ntype GetResourceLinksResult = \(.*\)\[\];/);
    expect(text).toMatch(/everything\.get_resource_links\(args\?: \{[^}]*count\?: number;?\s*\}\): Promise<GetResourceLinksResult>/);
    // A declared outputSchema is shown as declared, never as learned.
    const declared = await search(gateway!.client, { query: 'structured content weather', detail: 'full', limit: 1 });
    expect(declared.text).toContain('everything.get_structured_content(');
    expect(declared.text).not.toContain('inferred');
    // The tool definitions stay as they were: learned types are not in them.
    const { tools } = await gateway!.client.listTools();
    expect(JSON.stringify(tools)).not.toContain('inferred');
  });

  it('persists it; the learned schema accepts both results and rejects a field they never had', async () => {
    const stored = await until(async () => (existsSync(learnedFile) ? readFileSync(learnedFile, 'utf8') : undefined), 'the learned types file');
    const entry = (JSON.parse(stored) as { shapes: { tool: string; calls: number; shape: Shape }[] }).shapes.find((s) => s.tool === 'get-resource-links');
    expect(entry?.calls).toBe(2);
    const validate = validatorOf(closed(entry!.shape));
    expect(results).toHaveLength(2);
    for (const result of results) expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    const [first] = results as [unknown[]];
    const wrong = first.map((item) => (typeof item === 'object' && item !== null ? { ...item, nmae: 'x' } : item));
    expect(validate(wrong)).toBe(false);
    expect(validate({ content: results[0] })).toBe(false);
    expect(stored).not.toContain('Resource 1'); // values are never kept
    expect(JSON.parse(stored).shapes.map((s: { tool: string }) => s.tool)).not.toContain('get-structured-content');
  });

  it('keeps it across a restart of the gateway, and in `cemcp types`', async () => {
    await gateway!.close();
    gateway = await startStdioGateway(config);
    const { text } = await search(gateway.client, { query: 'resource links', detail: 'full', limit: 3 });
    expect(text).toContain('/** inferred from 2 calls */\ntype GetResourceLinksResult');
    await gateway.close();
    gateway = undefined;
    const { stdout } = await run(process.execPath, [CLI, 'types', '--config', config], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
    expect(stdout).toMatch(/ {2}\/\*\* inferred from 2 calls \*\/\n {2}type GetResourceLinksResult = /);
    expect(stdout).toContain('function get_resource_links(args?: { count?: number }): Promise<GetResourceLinksResult>;');
  });
});
