// cemcp.store: where session data lives. `memory` (default: this process) or `redis` (shared by
// every gateway process; values encrypted at rest under keys from the environment). The schema,
// and the resolution after it: `${VAR}`s expanded, keys checked (32 bytes of base64), errors
// naming the config path and saying how to make a key. Imported by schema.ts and load.ts.
import { z } from 'zod';
import { ConfigError } from '../common/index.js';
import { strictObject } from './suggest.js';

const MAKE_KEY = 'make one with: openssl rand -base64 32';

const MemoryStoreSchema = strictObject({ type: z.literal('memory') });

const RedisStoreSchema = strictObject({
  type: z.literal('redis'),
  /** redis://[user:password@]host:port[/db], or rediss:// for TLS; usually from the environment. */
  url: z.string().min(1).default('${REDIS_URL}'),
  /** Prepended to every Redis key: gateways sharing one Redis but not their sessions use one prefix each. */
  keyPrefix: z.string().regex(/^[A-Za-z0-9:._-]{0,64}$/, 'expected up to 64 letters, digits or : . _ -').default('cemcp:'),
  /**
   * AES-256-GCM keys (base64 of 32 bytes), each as `${VAR}`: the first seals new values, all of
   * them open stored ones. Rotate by putting the new key first; one that expands to "" is skipped.
   */
  encryptionKeys: z.array(z.string()).min(1, `expected at least one key such as "\${CEMCP_STORE_KEY}"; ${MAKE_KEY}`).default(['${CEMCP_STORE_KEY}']),
  /** A connection attempt gives up after this long; Redis is tried again in the background. */
  connectTimeoutMs: z.number().int().min(50).max(60_000).default(2_000),
  /** A Redis command with no answer after this long fails the run that needs it (SESSION_STORE). */
  commandTimeoutMs: z.number().int().min(10).max(60_000).default(1_000),
});

export const StoreSchema = z.discriminatedUnion('type', [MemoryStoreSchema, RedisStoreSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'expected "memory" (the default) or "redis"' : undefined),
}).prefault({ type: 'memory' });

export type StoreConfig = z.infer<typeof StoreSchema>;
export type RedisStoreConfig = Extract<StoreConfig, { type: 'redis' }>;

type Expand = (value: string, where: string) => string;

/** The store's settings with `${VAR}`s expanded and its keys checked; `where` is "<file>: cemcp.store". */
export function resolveStoreConfig(store: StoreConfig, where: string, expand: Expand): StoreConfig {
  if (store.type !== 'redis') return store;
  const url = expand(store.url, `${where}.url`);
  if (!/^rediss?:\/\/[^/]/.test(url)) {
    throw new ConfigError('CONFIG_INVALID', `${where}.url: expected a redis:// or rediss:// URL`, {});
  }
  const encryptionKeys = store.encryptionKeys.flatMap((text, i) => {
    const at = `${where}.encryptionKeys.${i}`;
    if (!/\$\{/.test(text)) {
      throw new ConfigError('CONFIG_INVALID', `${at}: write the key as \${VARIABLE} and set it in the environment, not in the config file; ${MAKE_KEY}`, {});
    }
    let key: string;
    try {
      key = expand(text, at).trim();
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError('CONFIG_INVALID', `${error.message}; ${MAKE_KEY}`, error.details, { cause: error });
      throw error;
    }
    if (key === '') return []; // `${OLD_KEY:-}`: no older key at the moment
    const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(key) ? Buffer.from(key, 'base64').length : -1;
    if (bytes !== 32) {
      throw new ConfigError('CONFIG_INVALID', `${at}: ${bytes < 0 ? 'not base64' : `decodes to ${bytes} bytes, AES-256 needs 32`}; ${MAKE_KEY}`, {});
    }
    return [key];
  });
  if (encryptionKeys.length === 0) {
    throw new ConfigError('CONFIG_INVALID', `${where}.encryptionKeys: every key expands to ""; the store needs one to encrypt with; ${MAKE_KEY}`, {});
  }
  return { ...store, url, encryptionKeys };
}
