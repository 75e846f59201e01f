// Escape battery, part 8: an upstream that floods. Endless junk lines, endless bytes with no
// newline, a 50 MB single line and a storm of tools/list_changed each end the call with a ToolError;
// the gateway keeps serving and its memory stays bounded (peak RSS read from /proc on Linux).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectServes, peakRssMb, runCase, startSecurityGateway, type Case, type SecurityGateway } from './gateway.js';

/**
 * Peak resident memory the gateway may reach over the whole file. It holds a 16 MiB-heap sandbox
 * per worker, the Node runtime (~165 MB measured at rest) and the type-checker's worker with
 * TypeScript loaded (~70 MB more at rest, measured with cemcp.typecheck.mode off vs block); a
 * gateway that buffered a 50 MB line several times, or an endless flood, goes far past this.
 */
const MAX_PEAK_RSS_MB = 520;

const callReport = (tool: string): string => `try { const r = await hostile.${tool}({}); return { returned: typeof r === 'string' ? r.length : r }; }
  catch (e) { return { isToolError: e instanceof ToolError, code: e.code, messageLength: String(e.message).length }; }`;

const toolError = (r: { text: string; isError: boolean }): void => {
  expect(r.isError, r.text).toBe(false);
  const report = JSON.parse(r.text) as { returned?: unknown; isToolError?: boolean; code?: string; messageLength?: number };
  expect(report.returned, r.text).toBeUndefined();
  expect(report.isToolError).toBe(true);
  expect(report.code).toMatch(/^(UPSTREAM_[A-Z_]+|LIMIT_[A-Z_]+)$/);
  expect(report.messageLength).toBeLessThan(10_000);
};

const cases: Case[] = [
  { name: 'an endless flood of junk lines ends the call with a ToolError', code: callReport('flood_lines'), expect: toolError },
  { name: 'an endless flood of bytes without a newline ends the call with a ToolError', code: callReport('flood_no_newline'), expect: toolError },
  { name: 'a 50 MB single-line response ends the call with a ToolError', code: callReport('huge_line'), expect: toolError },
  {
    name: 'a storm of 2,000 tools/list_changed notifications leaves the catalog usable',
    code: `try { return await hostile.notify_flood({}); } catch (e) { return e.code; }`,
    expect: (r) => expect(r.text).toMatch(/^(flooded|UPSTREAM_[A-Z_]+)$/),
  },
];

describe('escape battery: upstream floods', () => {
  let gateway: SecurityGateway;

  beforeAll(async () => {
    gateway = await startSecurityGateway({ upstreams: ['fixture', 'hostile'] });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  for (const c of cases) {
    it(c.name, async () => {
      await runCase(gateway, c);
      // The other upstream never stopped; the flooding one serves again (restarted if it was cut off).
      expect(await gateway.run('return (await fixture.ping({})).pong')).toEqual({ text: 'true', isError: false });
      await expect.poll(async () => (await gateway.run('return (await hostile.ok({})).ok')).text, { timeout: 20_000, interval: 250 }).toBe('true');
    });
  }

  it('search still answers after the floods', async () => {
    const result = await gateway.client.callTool({ name: 'search', arguments: { query: 'ping', detail: 'name' } });
    expect(JSON.stringify(result)).toContain('fixture.ping');
    await expectServes(gateway);
  });

  it('the gateway\'s peak memory stayed bounded through every flood', () => {
    const peak = peakRssMb(gateway.pid);
    if (peak === undefined) return; // no /proc here: nothing to read
    expect(peak).toBeLessThan(MAX_PEAK_RSS_MB);
  });
});
