import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/index.js';
import { silentLogger } from '../common/index.js';
import { createQuickJsEngine } from '../sandbox/index.js';
import { GatewayService } from './gateway-service.js';
import { describeNotReady, referencedUpstreams, type UpstreamStatusView, type UpstreamTracker } from './upstream-status.js';

describe('describeNotReady', () => {
  it('says nothing when every upstream is ready or not started', () => {
    expect(describeNotReady([{ name: 'a', state: 'ready' }, { name: 'b', state: 'idle' }])).toBeUndefined();
  });

  it('names connecting and failed upstreams on one line, with time so far and the cause', () => {
    const line = describeNotReady([
      { name: 'slow', state: 'connecting', connectingForMs: 4_200, connectTimeoutMs: 30_000 },
      { name: 'bad', state: 'failed', error: 'upstream "bad" (stdio): exited 1 during initialize\n(details)' },
    ]);
    expect(line).toBe('Not in these results: "slow" is still connecting (4 s so far, timeout 30 s); "bad" failed: upstream "bad" (stdio): exited 1 during initialize (details).');
  });

  it('cuts a long failure to a short line', () => {
    const line = describeNotReady([{ name: 'x', state: 'failed', error: 'e'.repeat(1_000) }]) ?? '';
    expect(line.length).toBeLessThan(260);
    expect(line).toContain('…');
  });
});

describe('referencedUpstreams', () => {
  it('finds upstreams whose namespace the program names as a word', () => {
    const code = 'const g = await google_drive.list({}); return memory_x + everything.get_sum({ a: 1, b: 2 });';
    expect(referencedUpstreams(code, ['google-drive', 'memory', 'everything', 'files'])).toEqual(['google-drive', 'everything']);
  });

  it('maps a config key that is a sandbox global to its suffixed namespace', () => {
    expect(referencedUpstreams('return JSON.stringify(1)', ['JSON'])).toEqual([]);
    expect(referencedUpstreams('await JSON_.get({})', ['JSON'])).toEqual(['JSON']);
  });
});

/** Upstreams as the composition root reports them; `join` makes one ready and settles waiters. */
function createTracker(initial: UpstreamStatusView[]): UpstreamTracker & { join(name: string, onJoin: () => void): void } {
  const statuses = new Map(initial.map((s) => [s.name, s]));
  const waiters = new Map<string, (() => void)[]>();
  return {
    statuses: () => [...statuses.values()],
    waitFor: (names) => Promise.all(names.map((name) => statuses.get(name)?.state === 'connecting'
      ? new Promise<void>((resolve) => waiters.set(name, [...(waiters.get(name) ?? []), resolve]))
      : undefined)).then(() => undefined),
    join(name, onJoin) {
      statuses.set(name, { name, state: 'ready' });
      onJoin();
      for (const resolve of waiters.get(name) ?? []) resolve();
    },
  };
}

describe('GatewayService with upstreams still connecting', () => {
  const engine = createQuickJsEngine({ poolSize: 1 });
  afterAll(() => engine.close());
  const limits = {
    cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000,
    maxResultBytes: 100_000, maxToolCalls: 3, toolCallTimeoutMs: 1_000, maxConcurrentCalls: 2, maxToolResultBytes: 50_000,
  };
  const math = Catalog.fromSources([{ server: 'math', tools: [{ name: 'one', description: 'Returns one.', inputSchema: { type: 'object' } }] }]);
  const invoker = { callTool: async () => ({ ok: true as const, value: 1 }) };
  const create = (tracker: UpstreamTracker, searchWaitMs = 0) => new GatewayService(Catalog.fromSources([]), {
    runtime: { engine, invoker, limits, maxTokens: 1_000 }, inlineApiMaxTokens: 0, logger: silentLogger, upstreams: tracker, searchWaitMs,
  });

  it('runs a program that names a connecting upstream once it joined', async () => {
    const tracker = createTracker([{ name: 'math', state: 'connecting', connectTimeoutMs: 5_000 }]);
    const service = create(tracker);
    const running = service.execute('return await math.one({})');
    setTimeout(() => tracker.join('math', () => service.setCatalog(math)), 20);
    expect(await running).toMatchObject({ ok: true, text: '1' });
  });

  it('waits for an upstream the program does not name only up to searchWaitMs, not its connect timeout', async () => {
    const service = create(createTracker([{ name: 'math', state: 'connecting', connectTimeoutMs: 60_000 }]), 50);
    expect(await service.execute('return 2')).toMatchObject({ ok: true, text: '2' });
  });

  it('adds why to a failed run that names an upstream that failed', async () => {
    const service = create(createTracker([{ name: 'math', state: 'failed', error: 'upstream "math" (stdio): exited 1 during initialize' }]));
    const result = await service.execute('return await math.one({})');
    expect(result.ok).toBe(false);
    expect(result.text).toMatch(/ReferenceError[\s\S]*\nUpstreams not available: "math" failed: upstream "math" \(stdio\): exited 1 during initialize\.$/);
  });

  it('waits for a connecting upstream within searchWaitMs, then answers with it', async () => {
    const tracker = createTracker([{ name: 'math', state: 'connecting' }]);
    const service = create(tracker, 10_000);
    const answer = service.search({ query: 'one', detail: 'name' });
    setTimeout(() => tracker.join('math', () => service.setCatalog(math)), 20);
    expect(await answer).toBe('math.one');
  });

  it('answers without a connecting upstream after searchWaitMs, naming it', async () => {
    const service = create(createTracker([{ name: 'math', state: 'connecting', connectingForMs: 2_000, connectTimeoutMs: 30_000 }]), 10);
    expect(await service.search({ query: 'one' })).toBe('No operation matches "one". 0 operations on: (no servers). Try other words, or browse: search({ query: "", server: "<name>" }).\nNot in these results: "math" is still connecting (2 s so far, timeout 30 s).');
  });
});
