// The behaviour every SessionStore must have, as one suite: memory-store.test.ts runs it, and a
// shared store (Redis) runs the same suite against a real server. `advance` moves the store's
// clock (fake timers for memory, real waiting for a server).
import { describe, expect, it } from 'vitest';
import type { SessionStore } from './store.js';

export interface StoreUnderTest {
  readonly store: SessionStore;
  /** Lets `ms` of the store's time pass. */
  advance(ms: number): Promise<void>;
  /** A TTL long enough for a few operations and short enough to wait out (default 1,000). */
  readonly ttlMs?: number;
}

export function sessionStoreContract(name: string, create: () => Promise<StoreUnderTest> | StoreUnderTest): void {
  describe(`${name} (SessionStore contract)`, () => {
    const withStore = async (fn: (t: StoreUnderTest & { ttlMs: number }) => Promise<void>) => {
      const t = await create();
      try {
        await fn({ ...t, ttlMs: t.ttlMs ?? 1_000 });
      } finally {
        await t.store.close();
      }
    };

    it('answers undefined for a key never written, and what was written with its revision', () => withStore(async ({ store }) => {
      expect(await store.get('s1', 'pii')).toBeUndefined();
      expect(await store.set('s1', 'pii', { a: [1, 'x', null, true] })).toEqual({ ok: true, revision: 1 });
      expect(await store.set('s1', 'pii', { a: [2] })).toEqual({ ok: true, revision: 2 });
      expect(await store.get('s1', 'pii')).toEqual({ value: { a: [2] }, revision: 2 });
      expect(await store.revision('s1', 'pii')).toBe(2);
      expect(await store.revision('s1', 'other')).toBe(0);
    }));

    it('keeps a copy: changing the written or the read object changes nothing stored', () => withStore(async ({ store }) => {
      const written = { list: ['a'] };
      await store.set('s1', 'k', written);
      written.list.push('b');
      const read = (await store.get('s1', 'k'))!.value as { list: string[] };
      read.list.push('c');
      expect((await store.get('s1', 'k'))!.value).toEqual({ list: ['a'] });
    }));

    it('writes with ifRevision only when the revision still matches (0: only when absent)', () => withStore(async ({ store }) => {
      expect(await store.set('s1', 'k', 'first', { ifRevision: 0 })).toEqual({ ok: true, revision: 1 });
      expect(await store.set('s1', 'k', 'again', { ifRevision: 0 })).toEqual({ ok: false, current: { value: 'first', revision: 1 } });
      expect(await store.set('s1', 'k', 'second', { ifRevision: 1 })).toEqual({ ok: true, revision: 2 });
      expect(await store.set('s1', 'k', 'stale', { ifRevision: 1 })).toEqual({ ok: false, current: { value: 'second', revision: 2 } });
      expect(await store.set('s1', 'gone', 'x', { ifRevision: 3 })).toEqual({ ok: false, current: undefined });
      expect(await store.get('s1', 'k')).toEqual({ value: 'second', revision: 2 });
    }));

    it('deletes one key, lists the keys, and drops a whole session', () => withStore(async ({ store }) => {
      await store.set('s1', 'a', 1);
      await store.set('s1', 'b', 2);
      expect((await store.keys('s1')).sort()).toEqual(['a', 'b']);
      expect(await store.delete('s1', 'a')).toBe(true);
      expect(await store.delete('s1', 'a')).toBe(false);
      expect(await store.keys('s1')).toEqual(['b']);
      await store.deleteSession('s1');
      expect(await store.keys('s1')).toEqual([]);
      expect(await store.get('s1', 'b')).toBeUndefined();
    }));

    it('keeps sessions apart: the same key in two sessions, one session dropped', () => withStore(async ({ store }) => {
      await store.set('s1', 'pii', 'one');
      await store.set('s2', 'pii', 'two');
      expect((await store.get('s1', 'pii'))!.value).toBe('one');
      expect((await store.get('s2', 'pii'))!.value).toBe('two');
      await store.deleteSession('s1');
      expect(await store.get('s1', 'pii')).toBeUndefined();
      expect(await store.get('s2', 'pii')).toEqual({ value: 'two', revision: 1 });
      expect(await store.sessionCount()).toBe(1);
    }));

    it('expires a touched session whole after its TTL; a touch extends it; untouched sessions stay', () => withStore(async ({ store, advance, ttlMs }) => {
      await store.set('short', 'a', 1);
      await store.set('short', 'b', 2);
      await store.touch('short', ttlMs);
      await store.set('forever', 'a', 1);
      await advance(ttlMs / 2);
      await store.touch('short', ttlMs);
      await advance(ttlMs / 2 + 50);
      expect((await store.get('short', 'a'))!.value).toBe(1); // the second touch moved the expiry on
      await store.set('short', 'a', 3); // a write keeps the expiry as it is
      await advance(ttlMs / 2 + 50);
      expect(await store.get('short', 'a')).toBeUndefined();
      expect(await store.get('short', 'b')).toBeUndefined();
      expect(await store.revision('short', 'b')).toBe(0);
      expect(await store.keys('short')).toEqual([]);
      expect(await store.get('forever', 'a')).toEqual({ value: 1, revision: 1 });
      expect(await store.sessionCount()).toBe(1);
      // A key written again after expiry starts over.
      expect(await store.set('short', 'a', 4, { ifRevision: 0 })).toEqual({ ok: true, revision: 1 });
    }));

    it('answers a ping while it is open (what /readyz asks)', () => withStore(async ({ store }) => {
      await expect(store.ping()).resolves.toBeUndefined();
      await store.set('s1', 'k', 1);
      await expect(store.ping()).resolves.toBeUndefined();
      expect((await store.get('s1', 'k'))!.value).toBe(1); // a ping changes nothing stored
    }));

    it('refuses a value that is not JSON', () => withStore(async ({ store }) => {
      await expect(store.set('s1', 'k', undefined as never)).rejects.toThrow(/not JSON/);
      expect(await store.get('s1', 'k')).toBeUndefined();
    }));
  });
}
