import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemorySessionStore } from './memory-store.js';
import { sessionStoreContract } from './store.contract.js';

describe('createMemorySessionStore', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  sessionStoreContract('memory store', () => ({
    store: createMemorySessionStore({ sweepMs: 100 }),
    advance: async (ms) => { await vi.advanceTimersByTimeAsync(ms); },
  }));

  it('sweeps expired sessions out of memory without being read', async () => {
    let time = 0;
    const store = createMemorySessionStore({ sweepMs: 100, now: () => time });
    await store.set('s1', 'k', 'v');
    await store.touch('s1', 500);
    time = 600;
    // Only the sweep can drop it here: sessionCount filters but does not delete.
    await vi.advanceTimersByTimeAsync(100);
    time = 0; // were the entry still held, it would be live again at this time
    expect(await store.sessionCount()).toBe(0);
    expect(await store.get('s1', 'k')).toBeUndefined();
    await store.close();
  });

  it('refuses a ping once closed: a stopping gateway is not ready', async () => {
    const store = createMemorySessionStore();
    await store.ping();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/memory session store is closed/);
  });
});
