// The per-upstream slot step with the real limiter and the real invoke step after it: an upstream
// whose calls stay open until the test settles them.
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../catalog/index.js';
import type { CallOutcome, ToolInvoker } from '../../common/index.js';
import type { BridgeReply } from '../../sandbox/index.js';
import { RunScope } from '../run-scope.js';
import { createUpstreamLimiter, type UpstreamLimiter, type UpstreamLimitSettings } from '../upstream-limiter.js';
import { composeSteps, type PendingCall } from './call-step.js';
import { invokeUpstream } from './invoke-upstream.js';
import { upstreamSlot } from './upstream-slot.js';

const op = Catalog.fromSources([{ server: 'crm', tools: [{ name: 't', inputSchema: { type: 'object' } }] }]).find('crm', 't')!;

/** An invoker whose calls stay open until the test settles them; it records each call's timeout. */
function openInvoker() {
  const calls: { timeoutMs: number; settle: (r: CallOutcome) => void; fail: (e: unknown) => void }[] = [];
  let inFlight = 0;
  let peak = 0;
  const invoker: ToolInvoker = {
    callTool(_server, _tool, _args, options) {
      inFlight++;
      peak = Math.max(peak, inFlight);
      return new Promise<CallOutcome>((resolve, reject) => {
        calls.push({ timeoutMs: options.timeoutMs, settle: resolve, fail: reject });
      }).finally(() => inFlight--);
    },
  };
  return { invoker, calls, peak: () => peak };
}

/** The two last steps of a run's pipeline, with the run's timeout. */
function pipeline(invoker: ToolInvoker, limiter: UpstreamLimiter, timeoutMs: number, scope = new RunScope()) {
  const next = composeSteps([upstreamSlot(limiter, scope.signal, timeoutMs)], invokeUpstream(invoker, timeoutMs, scope.signal));
  const call = (): Promise<BridgeReply> => {
    const pending: PendingCall = { target: { server: 'crm', tool: 't', callName: 'crm.t', destructive: false }, operation: op, args: {}, open: scope.begin('crm.t', 'crm', 't', 2) };
    return next(pending).then((reply) => pending.open.finish(reply, 0));
  };
  return { call, scope };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const ok: CallOutcome = { ok: true, value: 'ok' };
const timedOut = (ms: number): CallOutcome => ({ ok: false, error: { code: 'UPSTREAM_TIMEOUT', message: `upstream "crm" tool "t": no answer within ${ms} ms` } });
const answer = (reply: BridgeReply) => (reply.ok ? JSON.parse(reply.json) as string : `${reply.error.code}: ${reply.error.message}`);
const limits = (s: Partial<UpstreamLimitSettings>) => new Map([['crm', { maxConcurrent: 2, configPath: 'mcpServers.crm', ...s }]]);

describe('upstreamSlot', () => {
  it('holds calls past maxConcurrent until earlier ones finish, and frees the slot when a call fails', async () => {
    const upstream = openInvoker();
    const { call } = pipeline(upstream.invoker, createUpstreamLimiter(limits({ maxConcurrent: 2 })), 1_000);
    const results = [1, 2, 3, 4, 5].map(() => call().then(answer));
    await flush();
    expect(upstream.calls).toHaveLength(2);
    upstream.calls[0]!.settle(timedOut(1_000));
    await flush();
    expect(upstream.calls).toHaveLength(3);
    // An invoker that rejects after all (the contract says it never does) still gives its slot back.
    upstream.calls[1]!.fail(new Error('boom'));
    await flush();
    expect(upstream.calls).toHaveLength(4);
    for (const c of upstream.calls.slice(2)) c.settle(ok);
    await flush();
    upstream.calls[4]!.settle(ok);
    expect(await Promise.all(results)).toEqual([
      'UPSTREAM_TIMEOUT: crm.t: upstream "crm" tool "t": no answer within 1000 ms; if it is only slow, raise cemcp.limits.toolCallTimeoutMs',
      'UPSTREAM_UNAVAILABLE: crm.t: boom', 'ok', 'ok', 'ok',
    ]);
    expect(upstream.peak()).toBe(2);
  });

  it('applies the smaller of the upstream callTimeoutMs and the run timeout, and names the one that ran out', async () => {
    const upstream = openInvoker();
    const limiter = createUpstreamLimiter(limits({ callTimeoutMs: 500 }));
    const own = pipeline(upstream.invoker, limiter, 60_000).call();
    const runs = pipeline(upstream.invoker, limiter, 200).call();
    await flush();
    expect(upstream.calls.map((c) => c.timeoutMs)).toEqual([500, 200]);
    upstream.calls[0]!.settle(timedOut(500));
    upstream.calls[1]!.settle(timedOut(200));
    expect(answer(await own)).toBe('UPSTREAM_TIMEOUT: crm.t: upstream "crm" tool "t": no answer within 500 ms; if it is only slow, raise mcpServers.crm.callTimeoutMs (500 ms)');
    expect(answer(await runs)).toBe('UPSTREAM_TIMEOUT: crm.t: upstream "crm" tool "t": no answer within 200 ms; if it is only slow, raise cemcp.limits.toolCallTimeoutMs');
  });

  it('a call still waiting when the run ends is never sent, is recorded as dropped, and frees nothing twice', async () => {
    const upstream = openInvoker();
    const limiter = createUpstreamLimiter(limits({ maxConcurrent: 1 }));
    const { call, scope } = pipeline(upstream.invoker, limiter, 1_000);
    const first = call();
    const queued = call();
    await flush();
    const closing = scope.close();
    upstream.calls[0]!.settle(ok);
    await Promise.all([first, queued, closing]);
    expect(upstream.calls).toHaveLength(1);
    expect(scope.tally.counts).toMatchObject({ cancelled: 1, dropped: 1 });
    expect(limiter.loadOf('crm')).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('answers LIMIT_UPSTREAM_BUSY naming the key when the run signal ends the wait', async () => {
    const upstream = openInvoker();
    const limiter = createUpstreamLimiter(limits({ maxConcurrent: 1 }));
    const run = new AbortController();
    const step = upstreamSlot(limiter, run.signal, 1_000);
    const pending = (): PendingCall => ({ target: { server: 'crm', tool: 't', callName: 'crm.t', destructive: false }, operation: op, args: {}, open: new RunScope().begin('crm.t', 'crm', 't', 2) });
    let release!: () => void;
    const first = step(pending(), () => new Promise<BridgeReply>((resolve) => { release = () => resolve({ ok: true, json: '1' }); }));
    const queued = step(pending(), async () => ({ ok: true, json: '2' }));
    await flush();
    run.abort();
    expect(answer(await queued)).toBe('LIMIT_UPSTREAM_BUSY: crm.t: the run ended while the call waited for its turn (at most 1 at once, shared by every session: raise mcpServers.crm.maxConcurrent, or make fewer calls at once)');
    release();
    await first;
    expect(limiter.loadOf('crm')).toEqual({ inFlight: 0, waiting: 0 });
    expect(upstream.calls).toHaveLength(0);
  });
});
