import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../common/index.js';
import type { ToolInvoker } from './bridge.js';
import { withUpstreamLimits } from './upstream-limited-invoker.js';
import { createUpstreamLimiter, type UpstreamLimitSettings } from './upstream-limiter.js';
import type { ToolCallResult } from './tool-result.js';

/** An invoker whose calls stay open until the test settles them; it records each call's options. */
function openInvoker() {
  const calls: { server: string; timeoutMs: number; settle: (r: ToolCallResult) => void; fail: (e: unknown) => void }[] = [];
  let inFlight = 0;
  let peak = 0;
  const invoker: ToolInvoker = {
    callTool(server, _tool, _args, options) {
      inFlight++;
      peak = Math.max(peak, inFlight);
      return new Promise<ToolCallResult>((resolve, reject) => {
        calls.push({ server, timeoutMs: options.timeoutMs, settle: resolve, fail: reject });
      }).finally(() => inFlight--);
    },
  };
  return { invoker, calls, peak: () => peak };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const ok: ToolCallResult = { content: [{ type: 'text', text: 'ok' }] };
const limits = (s: Partial<UpstreamLimitSettings>) => new Map([['crm', { maxConcurrent: 2, configPath: 'mcpServers.crm', ...s }]]);

describe('withUpstreamLimits', () => {
  it('holds calls past maxConcurrent until earlier ones finish, and frees the slot when a call fails', async () => {
    const upstream = openInvoker();
    const limited = withUpstreamLimits(upstream.invoker, createUpstreamLimiter(limits({ maxConcurrent: 2 })));
    const results = [1, 2, 3, 4].map(() => limited.callTool('crm', 't', {}, { timeoutMs: 1_000 }).then(() => 'ok', (e: Error) => e.message));
    await flush();
    expect(upstream.calls).toHaveLength(2);
    upstream.calls[0]!.fail(new Error('boom'));
    await flush();
    expect(upstream.calls).toHaveLength(3);
    for (const call of upstream.calls.slice(1)) call.settle(ok);
    await flush();
    upstream.calls[3]!.settle(ok);
    expect(await Promise.all(results)).toEqual(['boom', 'ok', 'ok', 'ok']);
    expect(upstream.peak()).toBe(2);
  });

  it('applies the smaller of the upstream callTimeoutMs and the caller timeout', async () => {
    const upstream = openInvoker();
    const limited = withUpstreamLimits(upstream.invoker, createUpstreamLimiter(limits({ callTimeoutMs: 500 })));
    void limited.callTool('crm', 't', {}, { timeoutMs: 60_000 });
    void limited.callTool('crm', 't', {}, { timeoutMs: 200 });
    await flush();
    expect(upstream.calls.map((c) => c.timeoutMs)).toEqual([500, 200]);
  });

  it('names callTimeoutMs when the upstream timeout was the one that ran out', async () => {
    const upstream = openInvoker();
    const limited = withUpstreamLimits(upstream.invoker, createUpstreamLimiter(limits({ callTimeoutMs: 500 })));
    const own = limited.callTool('crm', 't', {}, { timeoutMs: 60_000 });
    const callers = limited.callTool('crm', 't', {}, { timeoutMs: 200 });
    await flush();
    upstream.calls[0]!.fail(new UpstreamError('UPSTREAM_TIMEOUT', 'upstream "crm" tool "t": no answer within 500 ms'));
    upstream.calls[1]!.fail(new UpstreamError('UPSTREAM_TIMEOUT', 'upstream "crm" tool "t": no answer within 200 ms'));
    await expect(own).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT', message: 'upstream "crm" tool "t": no answer within 500 ms; if it is only slow, raise mcpServers.crm.callTimeoutMs (500 ms)' });
    await expect(callers).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT', message: 'upstream "crm" tool "t": no answer within 200 ms' });
  });

  it('throws LIMIT_UPSTREAM_BUSY naming the key when the run ends during the wait, and never calls the upstream', async () => {
    const upstream = openInvoker();
    const limiter = createUpstreamLimiter(limits({ maxConcurrent: 1 }));
    const limited = withUpstreamLimits(upstream.invoker, limiter);
    const run = new AbortController();
    const first = limited.callTool('crm', 'find_contact', {}, { timeoutMs: 1_000, signal: run.signal });
    const queued = limited.callTool('crm', 'find_contact', {}, { timeoutMs: 1_000, signal: run.signal });
    await flush();
    run.abort();
    await expect(queued).rejects.toMatchObject({
      code: 'LIMIT_UPSTREAM_BUSY',
      message: 'upstream "crm" tool "find_contact": the run ended while the call waited for its turn (at most 1 at once, shared by every session: raise mcpServers.crm.maxConcurrent, or make fewer calls at once)',
    });
    expect(upstream.calls).toHaveLength(1);
    upstream.calls[0]!.settle(ok);
    await first;
    expect(limiter.loadOf('crm')).toEqual({ inFlight: 0, waiting: 0 });
  });
});
