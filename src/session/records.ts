// Records over the SessionStore: one session's keys as the `Records` a run's host namespaces use.
// The gateway's durable records are the keys of one session id that is never touched, so they
// never expire. Keys a Session mirrors itself (the PII map) are out of reach.
import { CemcpError, type JsonValue, type Records } from '../common/index.js';
import type { SessionStore } from './store.js';

/** The store's session id of the gateway's durable records (skills, learned shapes). */
export const GATEWAY_RECORDS_ID = 'cemcp:gateway';

// Compare-and-set rounds of one update before it gives up (each round sees the other writer's
// value); a lost round waits a random few milliseconds so writers in lockstep spread out.
const MAX_UPDATE_ROUNDS = 16;
const backoff = (round: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** Math.min(round, 6)));

export function storeRecords(store: SessionStore, sessionId: string, reservedKeys: readonly string[] = []): Records {
  const check = (key: string): void => {
    if (reservedKeys.includes(key)) throw new CemcpError('USAGE', `session key "${key}" is kept by the session itself; use another key`);
  };
  return {
    async read(key) {
      check(key);
      return (await store.get(sessionId, key))?.value;
    },
    async write(key, value) {
      check(key);
      await store.set(sessionId, key, value);
    },
    async remove(key) {
      check(key);
      return store.delete(sessionId, key);
    },
    async keys(prefix = '') {
      return (await store.keys(sessionId)).filter((key) => key.startsWith(prefix) && !reservedKeys.includes(key));
    },
    async update(key, change) {
      check(key);
      for (let round = 0; round < MAX_UPDATE_ROUNDS; round++) {
        const current = await store.get(sessionId, key);
        const next = change(current?.value);
        const revision = current?.revision ?? 0;
        if (next === undefined) {
          if (current) await store.delete(sessionId, key);
          return undefined;
        }
        const written = await store.set(sessionId, key, next as JsonValue, { ifRevision: revision });
        if (written.ok) return next;
        await backoff(round);
      }
      throw new CemcpError('SESSION_STORE', `session store (${store.kind}): "${key}" changed under ${MAX_UPDATE_ROUNDS} writes in a row; try again`);
    },
  };
}
