import { getEventListeners } from 'node:events';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUpstreamLimiter, describeCutShortWaits, type Lease, type UpstreamLimitSettings } from './upstream-limiter.js';

const settings = (s: Partial<UpstreamLimitSettings> = {}): Map<string, UpstreamLimitSettings> =>
  new Map([['crm', { maxConcurrent: 2, configPath: 'mcpServers.crm', ...s }]]);

/** Lets every settled promise's callbacks run (no timers involved). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts acquire calls and records the order in which they were granted. */
function track(promise: Promise<Lease | undefined>, granted: string[], name: string, leases: Map<string, Lease>): void {
  void promise.then((lease) => {
    if (lease) {
      granted.push(name);
      leases.set(name, lease);
    }
  });
}

describe('createUpstreamLimiter: slots', () => {
  it('never has more than maxConcurrent leases out, whatever the order of releases', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 25 }), async (cap, picks) => {
      const limiter = createUpstreamLimiter(settings({ maxConcurrent: cap }));
      const held: Lease[] = [];
      let peak = 0;
      const all = picks.map(() => limiter.acquire('crm').then((lease) => {
        held.push(lease!);
        peak = Math.max(peak, held.length);
      }));
      await flush();
      for (const pick of picks) {
        expect(held.length).toBeLessThanOrEqual(cap);
        expect(limiter.loadOf('crm').inFlight).toBe(held.length);
        const [lease] = held.splice(pick % Math.max(1, held.length), 1);
        lease?.release();
        await flush();
      }
      await Promise.all(all);
      expect(peak).toBe(Math.min(cap, picks.length));
      expect(limiter.loadOf('crm').waiting).toBe(0);
    }), { numRuns: 60 });
  });

  it('grants waiters first come, first served, whichever session queued them', async () => {
    const limiter = createUpstreamLimiter(settings({ maxConcurrent: 1 }));
    const granted: string[] = [];
    const leases = new Map<string, Lease>();
    const sessionA = new AbortController();
    const sessionB = new AbortController();
    track(limiter.acquire('crm', sessionA.signal), granted, 'a1', leases);
    track(limiter.acquire('crm', sessionB.signal), granted, 'b1', leases);
    track(limiter.acquire('crm', sessionA.signal), granted, 'a2', leases);
    track(limiter.acquire('crm', sessionB.signal), granted, 'b2', leases);
    await flush();
    expect(granted).toEqual(['a1']);
    expect(limiter.loadOf('crm')).toEqual({ inFlight: 1, waiting: 3 });
    for (const name of ['a1', 'b1', 'a2']) {
      leases.get(name)!.release();
      await flush();
    }
    expect(granted).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('keeps upstreams apart and lets an unconfigured upstream through at once', async () => {
    const limiter = createUpstreamLimiter(new Map([
      ['crm', { maxConcurrent: 1, configPath: 'mcpServers.crm' }],
      ['mail', { maxConcurrent: 1, configPath: 'mcpServers.mail' }],
    ]));
    const crm = await limiter.acquire('crm');
    const mail = await limiter.acquire('mail');
    expect(crm && mail).toBeTruthy();
    const other = await Promise.all([limiter.acquire('other'), limiter.acquire('other')]);
    expect(other.every((lease) => lease !== undefined)).toBe(true);
    expect(limiter.loadOf('other')).toEqual({ inFlight: 0, waiting: 0 });
  });
});

describe('createUpstreamLimiter: abort and release', () => {
  it('answers undefined for a waiter whose signal aborts, and it takes no slot', async () => {
    const limiter = createUpstreamLimiter(settings({ maxConcurrent: 1 }));
    const holder = (await limiter.acquire('crm'))!;
    const run = new AbortController();
    const waiting = limiter.acquire('crm', run.signal);
    const next = limiter.acquire('crm');
    await flush();
    expect(limiter.loadOf('crm').waiting).toBe(2);
    run.abort();
    expect(await waiting).toBeUndefined();
    expect(limiter.loadOf('crm')).toEqual({ inFlight: 1, waiting: 1 });
    holder.release();
    const lease = await next;
    expect(lease).toBeDefined();
    expect(limiter.loadOf('crm')).toEqual({ inFlight: 1, waiting: 0 });
  });

  it('adds one abort listener per signal however many of its calls wait, and cuts them all', async () => {
    const limiter = createUpstreamLimiter(settings({ maxConcurrent: 1 }));
    await limiter.acquire('crm');
    const run = new AbortController();
    const waits = Array.from({ length: 50 }, () => limiter.acquire('crm', run.signal));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1);
    expect(limiter.loadOf('crm').waiting).toBe(50);
    run.abort();
    expect((await Promise.all(waits)).every((lease) => lease === undefined)).toBe(true);
    expect(limiter.loadOf('crm')).toEqual({ inFlight: 1, waiting: 0 });
    expect(limiter.cutShort(run.signal)).toHaveLength(50);
  });

  it('answers undefined at once for a signal already aborted', async () => {
    const limiter = createUpstreamLimiter(settings());
    expect(await limiter.acquire('crm', AbortSignal.abort())).toBeUndefined();
    expect(limiter.loadOf('crm').inFlight).toBe(0);
  });

  it('releases a lease once however often release is called', async () => {
    const limiter = createUpstreamLimiter(settings({ maxConcurrent: 1 }));
    const lease = (await limiter.acquire('crm'))!;
    lease.release();
    lease.release();
    expect(limiter.loadOf('crm').inFlight).toBe(0);
    const granted: string[] = [];
    const leases = new Map<string, Lease>();
    track(limiter.acquire('crm'), granted, 'x', leases);
    track(limiter.acquire('crm'), granted, 'y', leases);
    await flush();
    expect(granted).toEqual(['x']);
    expect(limiter.loadOf('crm')).toEqual({ inFlight: 1, waiting: 1 });
  });

  it('an abort after the grant leaves the lease to its holder', async () => {
    const limiter = createUpstreamLimiter(settings({ maxConcurrent: 1 }));
    const run = new AbortController();
    const lease = (await limiter.acquire('crm', run.signal))!;
    run.abort();
    expect(limiter.loadOf('crm').inFlight).toBe(1);
    expect(limiter.cutShort(run.signal)).toEqual([]);
    lease.release();
    expect(limiter.loadOf('crm').inFlight).toBe(0);
  });

  it('records which limit held a wait that was cut short, and names the key that raises it', async () => {
    const limiter = createUpstreamLimiter(settings({ maxConcurrent: 1 }));
    await limiter.acquire('crm');
    const run = new AbortController();
    const waits = [limiter.acquire('crm', run.signal), limiter.acquire('crm', run.signal)];
    run.abort();
    await Promise.all(waits);
    expect(limiter.cutShort(run.signal).map((w) => [w.server, w.heldBy])).toEqual([['crm', 'maxConcurrent'], ['crm', 'maxConcurrent']]);
    expect(describeCutShortWaits(limiter.cutShort(run.signal), limiter)).toMatch(
      /^2 calls were still waiting for upstream "crm" \(longest \d+ ms; at most 1 at once, shared by every session: raise mcpServers\.crm\.maxConcurrent, or make fewer calls at once\)$/);
  });
});

describe('createUpstreamLimiter: token bucket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const rated = (perSecond: number, burst: number) =>
    createUpstreamLimiter(settings({ maxConcurrent: 100, rateLimit: { perSecond, burst } }), { now: () => Date.now() });

  it('lets a burst through, then one call per 1/perSecond', async () => {
    const limiter = rated(10, 2);
    const granted: string[] = [];
    const leases = new Map<string, Lease>();
    for (const name of ['1', '2', '3', '4', '5']) track(limiter.acquire('crm'), granted, name, leases);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual(['1', '2']);
    await vi.advanceTimersByTimeAsync(99);
    expect(granted).toEqual(['1', '2']);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toEqual(['1', '2', '3']);
    await vi.advanceTimersByTimeAsync(200);
    expect(granted).toEqual(['1', '2', '3', '4', '5']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refills to the burst size at most, however long it was idle', async () => {
    const limiter = rated(5, 3);
    await vi.advanceTimersByTimeAsync(60_000);
    const granted: string[] = [];
    const leases = new Map<string, Lease>();
    for (const name of ['a', 'b', 'c', 'd']) track(limiter.acquire('crm'), granted, name, leases);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(200);
    expect(granted).toEqual(['a', 'b', 'c', 'd']);
  });

  it('grants N calls over time no faster than burst + perSecond * seconds', async () => {
    const limiter = rated(4, 1);
    let granted = 0;
    for (let i = 0; i < 20; i++) void limiter.acquire('crm').then((lease) => { granted++; lease!.release(); });
    for (let second = 1; second <= 4; second++) {
      await vi.advanceTimersByTimeAsync(1_000);
      expect(granted).toBe(1 + 4 * second);
    }
  });

  it('a waiter aborted while waiting for a token spends none, and the next one gets it', async () => {
    const limiter = rated(1, 1);
    await limiter.acquire('crm');
    const run = new AbortController();
    const cut = limiter.acquire('crm', run.signal);
    const granted: string[] = [];
    const leases = new Map<string, Lease>();
    track(limiter.acquire('crm'), granted, 'next', leases);
    await vi.advanceTimersByTimeAsync(500);
    run.abort();
    expect(await cut).toBeUndefined();
    expect(limiter.cutShort(run.signal)[0]?.heldBy).toBe('rateLimit');
    await vi.advanceTimersByTimeAsync(499);
    expect(granted).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toEqual(['next']);
    expect(describeCutShortWaits(limiter.cutShort(run.signal), limiter)).toContain('1 calls per second with bursts of 1: raise mcpServers.crm.rateLimit');
  });

  it('holds no timer while nobody waits', async () => {
    const limiter = rated(1, 1);
    await limiter.acquire('crm');
    const run = new AbortController();
    const waiting = limiter.acquire('crm', run.signal);
    expect(vi.getTimerCount()).toBe(1);
    run.abort();
    await waiting;
    expect(vi.getTimerCount()).toBe(0);
  });
});
