// Compare-and-set updates of keys in the SessionStore with the last value this process read or
// wrote kept: an update is one round trip (a write against the kept revision) while no other
// process wrote the key since, two when one did (the refused write answers what is there now).
// For counters on the path of every run (principal-caps.ts), where Records.update's read-then-write
// would cost a second round trip each time. Updates of one key in this process go one at a time
// (they would only refuse each other's writes); processes contend by compare-and-set with backoff.
import { CemcpError, type JsonValue } from '../common/index.js';
import type { SessionStore, StoredValue } from '../session/index.js';

export type CasStore = Pick<SessionStore, 'kind' | 'get' | 'set'>;

export interface CasRecords {
  /** `change` gets the current value (undefined when absent) and returns the next; it may run more than once. */
  update(key: string, change: (current: JsonValue | undefined) => JsonValue): Promise<JsonValue>;
}

const MAX_ROUNDS = 24;
const MAX_KEPT = 10_000;
const backoff = (round: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** Math.min(round, 6)));

export function createCasRecords(store: CasStore, sessionId: string): CasRecords {
  const kept = new Map<string, StoredValue | undefined>();
  const keep = (key: string, value: StoredValue | undefined) => {
    if (kept.size >= MAX_KEPT && !kept.has(key)) kept.clear();
    kept.set(key, value);
  };
  const queues = new Map<string, Promise<unknown>>();
  const update = async (key: string, change: (current: JsonValue | undefined) => JsonValue): Promise<JsonValue> => {
    let base = kept.has(key) ? kept.get(key) : await store.get(sessionId, key);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const next = change(base?.value);
      const written = await store.set(sessionId, key, next, { ifRevision: base?.revision ?? 0 });
      if (written.ok) {
        keep(key, { value: next, revision: written.revision });
        return next;
      }
      base = written.current;
      keep(key, base);
      await backoff(round);
    }
    throw new CemcpError('SESSION_STORE', `session store (${store.kind}): "${key}" changed under ${MAX_ROUNDS} writes in a row; try again`);
  };
  return {
    update(key, change) {
      const before = queues.get(key) ?? Promise.resolve();
      const mine = before.then(() => update(key, change));
      const settled = mine.catch(() => undefined);
      queues.set(key, settled);
      void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
      });
      return mine;
    },
  };
}
