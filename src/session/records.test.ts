import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from './memory-store.js';
import { storeRecords } from './records.js';
import type { SessionStore } from './store.js';

describe('storeRecords', () => {
  it('reads, writes, lists by prefix and removes one session\'s keys', async () => {
    const store = createMemorySessionStore();
    const records = storeRecords(store, 's1');
    await records.write('state:a', { n: 1 });
    await records.write('state:b', [1, 2]);
    await records.write('handle:h1', 'text');
    expect(await records.read('state:a')).toEqual({ n: 1 });
    expect((await records.keys('state:')).sort()).toEqual(['state:a', 'state:b']);
    expect(await records.remove('state:a')).toBe(true);
    expect(await records.remove('state:a')).toBe(false);
    expect(await storeRecords(store, 's2').read('state:b')).toBeUndefined();
    await store.close();
  });

  it('keeps reserved keys out of reach and out of listings', async () => {
    const store = createMemorySessionStore();
    await store.set('s1', 'pii', {});
    const records = storeRecords(store, 's1', ['pii']);
    await expect(records.read('pii')).rejects.toThrow(/kept by the session itself/);
    await expect(records.update('pii', () => 1)).rejects.toThrow(/kept by the session itself/);
    expect(await records.keys()).toEqual([]);
    await store.close();
  });

  it('updates without losing a concurrent writer\'s change', async () => {
    const store = createMemorySessionStore();
    const records = storeRecords(store, 's1');
    await Promise.all(Array.from({ length: 20 }, (_, i) => records.update('list', (current) => [...((current ?? []) as number[]), i])));
    expect(((await records.read('list')) as number[]).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await records.update('list', () => undefined)).toBeUndefined();
    expect(await records.read('list')).toBeUndefined();
    await store.close();
  });

  it('gives up with SESSION_STORE when every compare-and-set loses', async () => {
    const base = createMemorySessionStore();
    // Another writer always gets in between the read and the write.
    const racing: SessionStore = { ...base, kind: 'memory', set: async (id, key, value) => { await base.set(id, key, 'theirs'); return base.set(id, key, value, { ifRevision: 0 }); } };
    await expect(storeRecords(racing, 's1').update('k', () => 'mine')).rejects.toMatchObject({ code: 'SESSION_STORE', message: expect.stringMatching(/"k" changed under 16 writes/) });
    await base.close();
  });
});
