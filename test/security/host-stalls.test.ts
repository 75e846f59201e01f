// Escape battery, part 10: work a program or an upstream can make the gateway's MAIN thread do
// outside every sandbox limit: token counting of long one-character runs (BPE is quadratic there)
// and an upstream schema's regex run by the host validator (ReDoS). Each test has its own gateway
// (a stalled one would poison the next) and a bound far above a healthy run, far below a stall.
import { describe, expect, it } from 'vitest';
import { expectNoLeak, expectServes, startSecurityGateway, type SecurityGatewayOptions, type SecurityGateway } from './gateway.js';

/** Far above what any of these takes when the host bounds its work (about a second), far below a stall. */
const STALL_BOUND_MS = 10_000;
/** The test's own timeout: the bound plus shutdown. */
const TEST_TIMEOUT_MS = STALL_BOUND_MS + 10_000;

/**
 * Starts a fresh gateway, runs `body` against it and checks it still serves, all within
 * STALL_BOUND_MS. A gateway still busy then fails the test and is killed at once: a stalled main
 * thread would otherwise run on (for hours, for ReDoS) after the test gave up on it.
 */
async function withGateway(options: SecurityGatewayOptions, body: (gateway: SecurityGateway) => Promise<void>): Promise<void> {
  let pid = -1;
  let gateway: SecurityGateway | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the gateway's main thread was still busy after ${STALL_BOUND_MS} ms`)), STALL_BOUND_MS);
  });
  const work = (async () => {
    gateway = await startSecurityGateway({ ...options, onSpawn: (spawned) => (pid = spawned) });
    await body(gateway);
    await expectServes(gateway);
  })();
  let healthy = false;
  try {
    await Promise.race([work, stalled]);
    healthy = true;
  } finally {
    clearTimeout(timer);
    if (!healthy && pid > 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await (gateway as SecurityGateway | undefined)?.close();
  }
}

describe('escape battery: host-side stalls', () => {
  it('a returned 1,000,000-character run of one punctuation mark is cut without stalling the host', () =>
    withGateway({ upstreams: ['fixture'], limits: { maxResultBytes: 8 * 2 ** 20 } }, async (gateway) => {
      const result = await gateway.run(`return '['.repeat(1000000);`);
      expect(result.isError).toBe(false);
      expect(result.text).toMatch(/cut by cemcp/);
      expectNoLeak(result.text);
    }), TEST_TIMEOUT_MS);

  it('a 250,000-character console line (the default log limit) is cut without stalling the host', () =>
    withGateway({ upstreams: ['fixture'], limits: { maxLogBytes: 256 * 1024 } }, async (gateway) => {
      const result = await gateway.run(`console.log('!'.repeat(250000)); return 'logged';`);
      expect(result.isError).toBe(false);
      expect(result.text).toContain('logged');
    }), TEST_TIMEOUT_MS);

  it('a program text with a 400,000-character run in a comment runs without stalling the host', () =>
    withGateway({ upstreams: ['fixture'] }, async (gateway) => {
      const result = await gateway.run(`/*${'['.repeat(400_000)}*/ return 1 + 2;`);
      expect(result).toEqual({ text: '3', isError: false });
    }), TEST_TIMEOUT_MS);

  it('an upstream with a 300,000-character tool name and description does not stall start-up or search', () =>
    withGateway({ upstreams: ['fixture', 'hostile'], hostileMode: 'stall' }, async (gateway) => {
      expect(await gateway.run('return (await hostile.ok({})).tool ?? "ok"')).toEqual({ text: 'ok', isError: false });
      const found = await gateway.client.callTool({ name: 'search', arguments: { query: 'ok answers', detail: 'full' } });
      expect(JSON.stringify(found).length).toBeLessThan(400_000);
    }), TEST_TIMEOUT_MS);

  it('a catastrophic pattern in an upstream schema cannot be turned into host ReDoS by a program', () =>
    withGateway({ upstreams: ['fixture', 'hostile'], hostileMode: 'schemas' }, async (gateway) => {
      const result = await gateway.run(`try { return (await hostile.redos_pattern({ s: 'a'.repeat(40) + '!' })).tool; } catch (e) { return e.code; }`);
      expect(result.isError).toBe(false);
      expect(result.text).toMatch(/^(ARGUMENT_INVALID|redos_pattern|UPSTREAM_[A-Z_]+)$/);
    }), TEST_TIMEOUT_MS);
});
