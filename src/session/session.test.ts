import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPrivacy, type PiiSession } from '../privacy/index.js';
import { createMemorySessionStore } from './memory-store.js';
import { Session } from './session.js';
import type { SessionStore } from './store.js';

const privacy = createPrivacy({ enabled: true, detectors: ['email'], custom: [], servers: {}, maxEntries: 100 });
const openPii = (): PiiSession => privacy.openSession()!;

/** A session over `store` with a fresh PII map: what a process that never saw the session builds. */
const open = (store: SessionStore, id: string, pii = openPii(), ttlMs?: number) =>
  ({ pii, session: new Session({ id, transport: 'http', store, mirrors: { pii }, ...(ttlMs ? { ttlMs } : {}) }) });

/** One execute: begin, tokenize or restore synchronously as the runtime does, end. */
async function run<T>(session: Session, pii: PiiSession, body: (r: ReturnType<PiiSession['beginRun']>) => T): Promise<T> {
  const end = await session.beginRun();
  try {
    return body(pii.beginRun());
  } finally {
    await end();
  }
}

describe('Session and the PII map in the store', () => {
  let store: SessionStore;
  beforeEach(() => {
    store = createMemorySessionStore();
  });
  afterEach(() => store.close());

  it('restores a token made in run 1 in run 2 of the same session, even from a fresh process', async () => {
    const a = open(store, 's1');
    expect(await run(a.session, a.pii, (r) => r.tokenizeText('mail ada@example.com'))).toBe('mail [EMAIL_1]');
    // Another process (fresh map) serving the same session id pulls the map at the start of its run.
    const b = open(store, 's1');
    expect(await run(b.session, b.pii, (r) => r.restoreArguments('crm', { to: '[EMAIL_1]' }))).toEqual({ to: 'ada@example.com' });
    // Numbering goes on from there: a new value is EMAIL_2, the known one keeps EMAIL_1.
    expect(await run(b.session, b.pii, (r) => r.tokenizeText('grace@example.com, ada@example.com'))).toBe('[EMAIL_2], [EMAIL_1]');
  });

  it('never restores a token of one session in another', async () => {
    const a = open(store, 's1');
    await run(a.session, a.pii, (r) => r.tokenizeText('ada@example.com'));
    const other = open(store, 's2');
    expect(await run(other.session, other.pii, (r) => r.restoreArguments('crm', { to: '[EMAIL_1]' }))).toEqual({ to: '[EMAIL_1]' });
    expect(await run(other.session, other.pii, (r) => r.tokenizeText('bob@example.com'))).toBe('[EMAIL_1]');
    expect((await store.get('s2', 'pii'))!.value).toMatchObject({ entries: [['[EMAIL_1]', 'bob@example.com']] });
  });

  it('loses no token when two runs of one session overlap in one process', async () => {
    const a = open(store, 's1');
    const end1 = await a.session.beginRun();
    const end2 = await a.session.beginRun();
    expect(a.session.activeRuns).toBe(2);
    const run1 = a.pii.beginRun();
    const run2 = a.pii.beginRun();
    expect(run1.tokenizeText('ada@example.com')).toBe('[EMAIL_1]');
    expect(run2.tokenizeText('bob@example.com')).toBe('[EMAIL_2]');
    await Promise.all([end2(), end1()]);
    expect(a.session.activeRuns).toBe(0);
    const b = open(store, 's1');
    expect(await run(b.session, b.pii, (r) => r.restoreArguments('crm', { to: ['[EMAIL_1]', '[EMAIL_2]'] }))).toEqual({ to: ['ada@example.com', 'bob@example.com'] });
  });

  it('merges two processes writing one session at once, and revokes a token both issued for different values', async () => {
    const a = open(store, 's1');
    const b = open(store, 's1');
    await run(a.session, a.pii, (r) => r.tokenizeText('shared@example.com')); // [EMAIL_1], stored before both
    const endA = await a.session.beginRun();
    const endB = await b.session.beginRun();
    expect(a.pii.beginRun().tokenizeText('ada@example.com')).toBe('[EMAIL_2]');
    const fromB = b.pii.beginRun();
    expect(fromB.tokenizeText('bob@example.com')).toBe('[EMAIL_2]'); // the same number, another value
    expect(fromB.tokenizeText('carol@example.com')).toBe('[EMAIL_3]');
    await endA();
    await endB(); // conflicts with A's write, merges it, writes the union
    const c = open(store, 's1');
    const restored = await run(c.session, c.pii, (r) => r.restoreArguments('crm', { to: ['[EMAIL_1]', '[EMAIL_2]', '[EMAIL_3]'] }));
    // [EMAIL_2] means two values: neither is restored (fail closed); the others still are.
    expect(restored).toEqual({ to: ['shared@example.com', '[EMAIL_2]', 'carol@example.com'] });
    // A learns of the revocation at its next run; numbering never reuses a number.
    expect(await run(a.session, a.pii, (r) => [r.restoreArguments('crm', { to: '[EMAIL_2]' }), r.tokenizeText('dan@example.com')])).toEqual([{ to: '[EMAIL_2]' }, '[EMAIL_4]']);
  });

  it('writes only when the map changed', async () => {
    const a = open(store, 's1');
    await run(a.session, a.pii, (r) => r.tokenizeText('ada@example.com'));
    expect((await store.get('s1', 'pii'))!.revision).toBe(1);
    await run(a.session, a.pii, (r) => r.tokenizeText('again ada@example.com, no new value'));
    await run(a.session, a.pii, (r) => r.restoreArguments('crm', { to: '[EMAIL_1]' }));
    expect((await store.get('s1', 'pii'))!.revision).toBe(1);
  });

  it('drops the map and the data on close; the id then restores nothing', async () => {
    const a = open(store, 's1');
    await run(a.session, a.pii, (r) => r.tokenizeText('ada@example.com'));
    await a.session.records.write('state', { n: 1 });
    await a.session.close();
    expect(a.pii.size).toBe(0);
    expect(await store.keys('s1')).toEqual([]);
    await expect(a.session.beginRun()).rejects.toMatchObject({ code: 'SESSION_STORE' });
    const b = open(store, 's1');
    expect(await run(b.session, b.pii, (r) => r.restoreArguments('crm', { to: '[EMAIL_1]' }))).toEqual({ to: '[EMAIL_1]' });
  });

  it('keeps its own records beside the mirrors, and refuses a mirror key as a record', async () => {
    const a = open(store, 's1');
    await a.session.records.write('state', { counter: 3 });
    expect(await a.session.records.read('state')).toEqual({ counter: 3 });
    await a.session.records.remove('state');
    expect(await a.session.records.read('state')).toBeUndefined();
    await expect(a.session.records.write('pii', {})).rejects.toThrow(/kept by the session itself/);
  });

  it('names the store and the session when the store fails', async () => {
    const broken: SessionStore = { ...store, kind: 'memory', revision: () => Promise.reject(new Error('connection refused')) };
    const a = open(broken, 's1');
    await expect(a.session.beginRun()).rejects.toMatchObject({ code: 'SESSION_STORE', message: 'session store (memory): reading the data of session s1 failed: connection refused' });
    expect(a.session.activeRuns).toBe(0);
  });
});

describe('Session expiry in the store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the data for ttlMs after the last run, then it is gone', async () => {
    const store = createMemorySessionStore();
    const a = open(store, 's1', openPii(), 60_000);
    await run(a.session, a.pii, (r) => r.tokenizeText('ada@example.com'));
    const started = a.session.lastUsedAt;
    await vi.advanceTimersByTimeAsync(50_000);
    await run(a.session, a.pii, () => undefined); // a run counts as use
    expect(a.session.lastUsedAt - started).toBe(50_000);
    await vi.advanceTimersByTimeAsync(50_000);
    expect(await store.get('s1', 'pii')).toBeDefined();
    await vi.advanceTimersByTimeAsync(10_001);
    expect(await store.get('s1', 'pii')).toBeUndefined();
    // This process still holds the map: its next run writes it back.
    await run(a.session, a.pii, () => undefined);
    expect((await store.get('s1', 'pii'))!.value).toMatchObject({ entries: [['[EMAIL_1]', 'ada@example.com']] });
    await store.close();
  });

  it('touches again at the end of a run only when the run lasted 1% of the TTL or more', async () => {
    const store = createMemorySessionStore();
    const touches: number[] = [];
    const counting: SessionStore = { ...store, touch: (id, ttlMs) => (touches.push(Date.now()), store.touch(id, ttlMs)) };
    const a = open(counting, 's1', openPii(), 60_000);
    await a.session.records.write('state', 1);
    const short = await a.session.beginRun();
    await vi.advanceTimersByTimeAsync(599);
    await short();
    expect(touches).toHaveLength(1);
    const long = await a.session.beginRun();
    await vi.advanceTimersByTimeAsync(600);
    await long();
    expect(touches).toHaveLength(3);
    // The expiry counts from the end of the long run.
    await vi.advanceTimersByTimeAsync(59_999);
    expect(await store.keys('s1')).not.toEqual([]);
    await vi.advanceTimersByTimeAsync(2);
    expect(await store.keys('s1')).toEqual([]);
    await store.close();
  });
});

describe('leave: a stopping process lets go of its sessions', () => {
  let store: SessionStore;
  beforeEach(() => {
    store = createMemorySessionStore();
  });
  afterEach(() => store.close());
  /** A store that outlives this process, as Redis does: the memory store under another kind. */
  const shared = (): SessionStore => ({ ...store, kind: 'shared' });

  it('keeps an HTTP session (with a TTL) in a shared store: another process restores its tokens', async () => {
    const sharedStore = shared();
    const a = open(sharedStore, 's1', openPii(), 60_000);
    expect(await run(a.session, a.pii, (r) => r.tokenizeText('mail ada@example.com'))).toBe('mail [EMAIL_1]');
    await a.session.leave();
    await a.session.close(); // a transport closing after the leave deletes nothing
    expect(await sharedStore.keys('s1')).toEqual(['pii']);
    await expect(a.session.beginRun()).rejects.toThrow(/has ended/);
    const b = open(sharedStore, 's1', openPii(), 60_000);
    expect(await run(b.session, b.pii, (r) => r.restoreArguments('crm', { to: '[EMAIL_1]' }))).toEqual({ to: 'ada@example.com' });
  });

  it('deletes a session without a TTL (stdio, cli), and any session of a memory store', async () => {
    const sharedStore = shared();
    const noTtl = open(sharedStore, 's1');
    await run(noTtl.session, noTtl.pii, (r) => r.tokenizeText('ada@example.com'));
    await noTtl.session.leave();
    expect(await sharedStore.keys('s1')).toEqual([]);
    const local = open(store, 's2', openPii(), 60_000);
    await run(local.session, local.pii, (r) => r.tokenizeText('ada@example.com'));
    await local.session.leave();
    expect(await store.keys('s2')).toEqual([]);
  });
});
