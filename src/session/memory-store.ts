// The default SessionStore: this process's memory. Values are kept as JSON text, as a shared
// store would keep them, so nothing live is shared between a writer and a reader. Expired
// sessions are dropped when read and by a sweep (its timer does not hold the process open).
import type { JsonValue, SessionStore, SetOptions, SetResult, StoredValue } from './store.js';

export interface MemoryStoreOptions {
  /** How often expired sessions are swept out of memory (reads never see them anyway). */
  readonly sweepMs?: number;
  /** Milliseconds since the epoch; tests pass a fake. */
  readonly now?: () => number;
}

interface Entry {
  readonly keys: Map<string, { text: string; revision: number }>;
  expiresAt: number;
}

const DEFAULT_SWEEP_MS = 60_000;

export function createMemorySessionStore(options: MemoryStoreOptions = {}): SessionStore {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Entry>();
  let closed = false;
  const sweep = setInterval(() => {
    for (const [id, entry] of sessions) if (expired(entry)) sessions.delete(id);
  }, options.sweepMs ?? DEFAULT_SWEEP_MS);
  sweep.unref();

  const expired = (entry: Entry): boolean => entry.expiresAt <= now();
  const live = (sessionId: string): Entry | undefined => {
    const entry = sessions.get(sessionId);
    if (entry && expired(entry)) {
      sessions.delete(sessionId);
      return undefined;
    }
    return entry;
  };
  const read = (sessionId: string, key: string): StoredValue | undefined => {
    const item = live(sessionId)?.keys.get(key);
    return item && { value: JSON.parse(item.text) as JsonValue, revision: item.revision };
  };

  return {
    kind: 'memory',
    async get(sessionId, key) {
      return read(sessionId, key);
    },
    async revision(sessionId, key) {
      return live(sessionId)?.keys.get(key)?.revision ?? 0;
    },
    async set(sessionId: string, key: string, value: JsonValue, setOptions: SetOptions = {}): Promise<SetResult> {
      const text = JSON.stringify(value);
      if (text === undefined) throw new TypeError(`session store: the value of "${key}" is not JSON`);
      let entry = live(sessionId);
      const revision = entry?.keys.get(key)?.revision ?? 0;
      if (setOptions.ifRevision !== undefined && setOptions.ifRevision !== revision) return { ok: false, current: read(sessionId, key) };
      if (!entry) sessions.set(sessionId, (entry = { keys: new Map(), expiresAt: Number.POSITIVE_INFINITY }));
      entry.keys.set(key, { text, revision: revision + 1 });
      return { ok: true, revision: revision + 1 };
    },
    async delete(sessionId, key) {
      return live(sessionId)?.keys.delete(key) ?? false;
    },
    async keys(sessionId) {
      return [...(live(sessionId)?.keys.keys() ?? [])];
    },
    async touch(sessionId, ttlMs) {
      let entry = live(sessionId);
      if (!entry) sessions.set(sessionId, (entry = { keys: new Map(), expiresAt: 0 }));
      entry.expiresAt = now() + ttlMs;
    },
    async deleteSession(sessionId) {
      sessions.delete(sessionId);
    },
    async sessionCount() {
      let n = 0;
      for (const entry of sessions.values()) if (!expired(entry)) n++;
      return n;
    },
    async ping() {
      if (closed) throw new Error('the memory session store is closed (the gateway is stopping)');
    },
    async close() {
      closed = true;
      clearInterval(sweep);
      sessions.clear();
    },
  };
}
