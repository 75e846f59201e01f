import { describe, expect, it } from 'vitest';
import type { CallOutcome, ToolInvoker } from '../common/index.js';
import { withUpstreamLimits } from './upstream-limited-invoker.js';
import { createUpstreamLimiter, type UpstreamLimitSettings } from './upstream-limiter.js';

/** An invoker whose calls stay open until the test settles them; it records each call's options. */
function openInvoker() {
  const calls: { server: string; timeoutMs: number; settle: (r: CallOutcome) => void; fail: (e: unknown) => void }[] = [];
  let inFlight = 0;
  let peak = 0;
  const invoker: ToolInvoker = {
    callTool(server, _tool, _args, options) {
      inFlight++;
      peak = Math.max(peak, inFlight);
      return new Promise<CallOutcome>((resolve, reject) => {
        calls.push({ server, timeoutMs: options.timeoutMs, settle: resolve, fail: reject });
      }).finally(() => inFlight--);
    },
  };
  return { invoker, calls, peak: () => peak };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const ok: CallOutcome = { ok: true, value: 'ok' };
const timedOut = (ms: number): CallOutcome => ({ ok: false, error: { code: 'UPSTREAM_TIMEOUT', message: `upstream "crm" tool "t": no answer within ${ms} ms` } });
const answer = (outcome: CallOutcome) => (outcome.ok ? String(outcome.value) : `${outcome.error.code}: ${outcome.error.message}`);
const limits = (s: Partial<UpstreamLimitSettings>) => new Map([['crm', { maxConcurrent: 2, configPath: 'mcpServers.crm', ...s }]]);

describe('withUpstreamLimits', () => {
  it('holds calls past maxConcurrent until earlier ones finish, and frees the slot when a call fails', async () => {
    const upstream = openInvoker();
    const limited = withUpstreamLimits(upstream.invoker, createUpstreamLimiter(limits({ maxConcurrent: 2 })));
    const results = [1, 2, 3, 4, 5].map(() => limited.callTool('crm', 't', {}, { timeoutMs: 1_000 }).then(answer, (e: Error) => `threw ${e.message}`));
    await flush();
    expect(upstream.calls).toHaveLength(2);
    upstream.calls[0]!.settle(timedOut(1_000));
    await flush();
    expect(upstream.calls).toHaveLength(3);
    // An invoker that rejects after all (the contract says it never does) still gives its slot back.
    upstream.calls[1]!.fail(new Error('boom'));
    await flush();
    expect(upstream.calls).toHaveLength(4);
    for (const call of upstream.calls.slice(2)) call.settle(ok);
    await flush();
    upstream.calls[4]!.settle(ok);
    expect(await Promise.all(results)).toEqual(['UPSTREAM_TIMEOUT: upstream "crm" tool "t": no answer within 1000 ms; if it is only slow, raise cemcp.limits.toolCallTimeoutMs', 'threw boom', 'ok', 'ok', 'ok']);
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
    upstream.calls[0]!.settle(timedOut(500));
    upstream.calls[1]!.settle(timedOut(200));
    expect(answer(await own)).toBe('UPSTREAM_TIMEOUT: upstream "crm" tool "t": no answer within 500 ms; if it is only slow, raise mcpServers.crm.callTimeoutMs (500 ms)');
    expect(answer(await callers)).toBe('UPSTREAM_TIMEOUT: upstream "crm" tool "t": no answer within 200 ms; if it is only slow, raise cemcp.limits.toolCallTimeoutMs');
  });

  it('answers LIMIT_UPSTREAM_BUSY naming the key when the run ends during the wait, and never calls the upstream', async () => {
    const upstream = openInvoker();
    const limiter = createUpstreamLimiter(limits({ maxConcurrent: 1 }));
    const limited = withUpstreamLimits(upstream.invoker, limiter);
    const run = new AbortController();
    const first = limited.callTool('crm', 'find_contact', {}, { timeoutMs: 1_000, signal: run.signal });
    const queued = limited.callTool('crm', 'find_contact', {}, { timeoutMs: 1_000, signal: run.signal });
    await flush();
    run.abort();
    expect(answer(await queued)).toBe('LIMIT_UPSTREAM_BUSY: upstream "crm" tool "find_contact": the run ended while the call waited for its turn (at most 1 at once, shared by every session: raise mcpServers.crm.maxConcurrent, or make fewer calls at once)');
    expect(upstream.calls).toHaveLength(1);
    upstream.calls[0]!.settle(ok);
    await first;
    expect(limiter.loadOf('crm')).toEqual({ inFlight: 0, waiting: 0 });
  });
});
