// Upstream behaviour through the whole gateway, against the SDK fixture server: pagination of
// tools/list, tools/list_changed, restart with backoff after a crash, call timeouts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, FIXTURE_SERVER, search, startStdioGateway, tempDir, type RunningGateway } from './harness.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

describe('upstream lifecycle', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    const dir = tempDir();
    const config = path.join(dir, 'mcp.json');
    writeFileSync(config, JSON.stringify({
      mcpServers: { fixture: { command: process.execPath, args: [FIXTURE_SERVER] } },
      cemcp: { limits: { toolCallTimeoutMs: 1_000, wallMs: 10_000 }, upstreams: { restartInitialDelayMs: 100 } },
    }));
    gateway = await startStdioGateway(config);
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('follows tools/list pagination', async () => {
    const { text } = await search(gateway.client, { query: '', detail: 'name', limit: 50 });
    expect(text.split('\n').sort()).toEqual(['fixture.add_tool', 'fixture.crash', 'fixture.echo', 'fixture.fail', 'fixture.hang', 'fixture.ping', 'fixture.throws']);
  });

  it('times out a call that never answers, with a ToolError the program can catch', async () => {
    const result = await execute(gateway.client, `
      try { await fixture.hang({}); return 'answered'; }
      catch (e) { return e.code + ': ' + e.message; }
    `);
    expect(result.text).toMatch(/^UPSTREAM_TIMEOUT: .*no answer within 1000 ms/);
  });

  it('refreshes the catalog on tools/list_changed', async () => {
    await execute(gateway.client, `await fixture.add_tool({ name: 'brand-new' });`);
    await expect.poll(async () => (await search(gateway.client, { query: 'brand new', detail: 'name' })).text).toContain('fixture.brand_new');
    const run = await execute(gateway.client, 'return await fixture.brand_new();');
    expect(run.text).toBe('brand-new ran');
  });

  it('restarts a crashed stdio upstream with backoff; the crash is a ToolError', async () => {
    const before = await execute(gateway.client, 'return (await fixture.ping()).pid;');
    const crashed = await execute(gateway.client, `
      try { await fixture.crash(); return 'no error'; } catch (e) { return e.code; }
    `);
    expect(crashed.text).toBe('UPSTREAM_UNAVAILABLE');
    await expect.poll(async () => (await execute(gateway.client, 'return (await fixture.ping()).pid;')).text, { timeout: 10_000, interval: 200 })
      .toMatch(/^\d+$/);
    const after = await execute(gateway.client, 'return (await fixture.ping()).pid;');
    expect(after.text).not.toBe(before.text);
    expect(gateway.stderr()).toMatch(/upstream "fixture" restarted/);
  });
});
