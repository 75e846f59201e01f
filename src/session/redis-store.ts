// The shared SessionStore: Redis (ioredis). One hash per session, `<prefix>s:{<id>}`, with fields
// `v:<key>` (the value, sealed by the StoreCipher) and `r:<key>` (its revision), plus `@` (the
// session exists). One hash because a session's keys must expire together: a touch is one PEXPIRE,
// writes (HSET) keep the hash's TTL, and compare-and-set is one Lua script on one Redis key (braces:
// a Redis Cluster hash tag). Fails closed: no offline queue, bounded command time, reconnects alone.
import { Redis } from 'ioredis';
import { CemcpError, describeError, type Logger } from '../common/index.js';
import type { StoreCipher } from './store-cipher.js';
import type { JsonValue, SessionStore, SetOptions, SetResult, StoredValue } from './store.js';

export interface RedisStoreOptions {
  /** redis://[user:password@]host:port[/db] or rediss:// for TLS. */
  readonly url: string;
  /** Seals every value written; opens values of its current and older keys. */
  readonly cipher: StoreCipher;
  /** Prepended to every Redis key (several gateways on one Redis: one prefix each). */
  readonly keyPrefix?: string;
  /** A connection attempt gives up after this long (and is tried again in the background). */
  readonly connectTimeoutMs?: number;
  /** A command with no answer after this long rejects. */
  readonly commandTimeoutMs?: number;
  /** Redis lost and back again (once each per outage). */
  readonly logger?: Logger;
}

export const REDIS_STORE_DEFAULTS = { keyPrefix: 'cemcp:', connectTimeoutMs: 2_000, commandTimeoutMs: 1_000 } as const;

// A write with `ifRevision`: compares the revision, writes the value and the next revision together.
// KEYS[1] the session hash; ARGV: key, sealed value, expected revision ('' for none).
const SET_SCRIPT = `
local revision = tonumber(redis.call('HGET', KEYS[1], 'r:' .. ARGV[1]) or '0')
if ARGV[3] ~= '' and tonumber(ARGV[3]) ~= revision then
  return {0, revision, redis.call('HGET', KEYS[1], 'v:' .. ARGV[1])}
end
redis.call('HSET', KEYS[1], 'v:' .. ARGV[1], ARGV[2], 'r:' .. ARGV[1], revision + 1, '@', '1')
return {1, revision + 1}`;

// A touch makes the session exist (like a write) and sets its expiry.
const TOUCH_SCRIPT = `
redis.call('HSETNX', KEYS[1], '@', '1')
return redis.call('PEXPIRE', KEYS[1], ARGV[1])`;

type ScriptClient = Redis & {
  cemcpSet(hash: string, key: string, sealed: string, ifRevision: string): Promise<[number, number, string | null]>;
  cemcpTouch(hash: string, ttlMs: number): Promise<number>;
};

export function createRedisSessionStore(options: RedisStoreOptions): SessionStore {
  const prefix = options.keyPrefix ?? REDIS_STORE_DEFAULTS.keyPrefix;
  const connectTimeoutMs = options.connectTimeoutMs ?? REDIS_STORE_DEFAULTS.connectTimeoutMs;
  const commandTimeoutMs = options.commandTimeoutMs ?? REDIS_STORE_DEFAULTS.commandTimeoutMs;
  const { cipher, logger } = options;
  const where = describeUrl(options.url);
  const client = new Redis(options.url, {
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    // Fail closed and fast: nothing waits for a lost Redis, a command in flight is not resent.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Reconnects forever in the background, at most a second apart: back by itself.
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 1_000),
    // No auto-pipelining: it defers each command to a later tick, which cost more than it saved here (measured).
    enableAutoPipelining: false,
  }) as ScriptClient;
  client.defineCommand('cemcpSet', { numberOfKeys: 1, lua: SET_SCRIPT });
  client.defineCommand('cemcpTouch', { numberOfKeys: 1, lua: TOUCH_SCRIPT });

  let lastError: string | undefined;
  let everReady = false;
  let down = false;
  let closing = false;
  client.on('error', (error: unknown) => {
    lastError = describeError(error);
    if (!down) logger?.log('warning', `session store: redis at ${where} is unreachable (${lastError}); runs that need the store fail until it is back`);
    down = true;
  });
  // A server that goes away cleanly closes the connection without an error event; say it once too.
  client.on('close', () => {
    if (!everReady || down || closing) return;
    logger?.log('warning', `session store: redis at ${where} is unreachable (the connection was lost); runs that need the store fail until it is back`);
    down = true;
  });
  client.on('ready', () => {
    everReady = true;
    if (down) logger?.log('info', `session store: redis at ${where} is back`);
    down = false;
  });

  /** Connected, or an error saying Redis is not; only the first connection is waited for. */
  const connected = async (): Promise<void> => {
    if (client.status === 'ready') return;
    if (!everReady && (client.status === 'connecting' || client.status === 'connect' || client.status === 'wait')) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          client.off('ready', done);
          resolve();
        };
        const timer = setTimeout(done, connectTimeoutMs);
        client.once('ready', done);
      });
      if ((client.status as string) === 'ready') return;
    }
    if (client.status === 'end') throw new Error(`redis at ${where}: the store is closed`);
    throw new Error(`redis at ${where} is unreachable (${lastError ?? `not ready after ${connectTimeoutMs} ms`}); retrying in the background`);
  };
  const call = async <T>(command: () => Promise<T>): Promise<T> => {
    await connected();
    try {
      return await command();
    } catch (error) {
      const message = describeError(error);
      // Lost between the check above and the write (or while waiting for the answer).
      if (/enableOfflineQueue|Connection is closed/.test(message)) throw new Error(`redis at ${where} is unreachable (the connection was lost); retrying in the background`, { cause: error });
      if (/Command timed out/.test(message)) throw new Error(`redis at ${where} did not answer within ${commandTimeoutMs} ms`, { cause: error });
      throw new Error(`redis at ${where}: ${message}`, { cause: error });
    }
  };

  const hashOf = (sessionId: string): string => `${prefix}s:{${sessionId}}`;
  const aad = (sessionId: string, key: string): string => `${sessionId}\n${key}`;
  const open = (sessionId: string, key: string, sealed: string): JsonValue => {
    let text: string;
    try {
      text = cipher.open(sealed, aad(sessionId, key));
    } catch (error) {
      throw new CemcpError('SESSION_STORE', `session store (redis): "${key}" of session ${sessionId}: ${describeError(error)}`, { key }, { cause: error });
    }
    return JSON.parse(text) as JsonValue;
  };

  return {
    kind: 'redis',
    async get(sessionId, key): Promise<StoredValue | undefined> {
      const [sealed, revision] = await call(() => client.hmget(hashOf(sessionId), `v:${key}`, `r:${key}`));
      if (sealed == null || revision == null) return undefined;
      return { value: open(sessionId, key, sealed), revision: Number(revision) };
    },
    async revision(sessionId, key) {
      return Number((await call(() => client.hget(hashOf(sessionId), `r:${key}`))) ?? 0);
    },
    async set(sessionId: string, key: string, value: JsonValue, setOptions: SetOptions = {}): Promise<SetResult> {
      const text = JSON.stringify(value);
      if (text === undefined) throw new TypeError(`session store: the value of "${key}" is not JSON`);
      const sealed = cipher.seal(text, aad(sessionId, key));
      const ifRevision = setOptions.ifRevision === undefined ? '' : String(setOptions.ifRevision);
      const [ok, revision, current] = await call(() => client.cemcpSet(hashOf(sessionId), key, sealed, ifRevision));
      if (ok === 1) return { ok: true, revision };
      return { ok: false, current: current == null ? undefined : { value: open(sessionId, key, current), revision } };
    },
    async delete(sessionId, key) {
      return (await call(() => client.hdel(hashOf(sessionId), `v:${key}`, `r:${key}`))) > 0;
    },
    async keys(sessionId) {
      const fields = await call(() => client.hkeys(hashOf(sessionId)));
      return fields.filter((field) => field.startsWith('v:')).map((field) => field.slice(2));
    },
    async touch(sessionId, ttlMs) {
      await call(() => client.cemcpTouch(hashOf(sessionId), Math.max(1, Math.ceil(ttlMs))));
    },
    async deleteSession(sessionId) {
      await call(() => client.del(hashOf(sessionId)));
    },
    async sessionCount() {
      // SCAN, not KEYS: it never blocks Redis; expired hashes are not listed.
      return call(async () => {
        const seen = new Set<string>(); // SCAN may list a key twice
        let cursor = '0';
        do {
          const [next, found] = await client.scan(cursor, 'MATCH', `${globEscape(prefix)}s:*`, 'COUNT', 1_000);
          cursor = next;
          for (const key of found) seen.add(key);
        } while (cursor !== '0');
        return seen.size;
      });
    },
    async ping() {
      // One PING on the store's own connection, under its fail-closed rules: what /readyz asks.
      await call(() => client.ping());
    },
    async close() {
      closing = true;
      try {
        if (client.status === 'ready') await client.quit();
        else client.disconnect();
      } catch {
        client.disconnect();
      }
    },
  };
}

/** host:port of a Redis URL, without user or password (for messages and logs). */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return '(an invalid URL)';
  }
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
