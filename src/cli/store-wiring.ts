// Builds the gateway's SessionStore from cemcp.store: this process's memory (the default), or
// Redis shared by every gateway process, its values sealed under the configured keyring.
import type { Logger } from '../common/index.js';
import type { LoadedConfig } from '../config/index.js';
import { createMemorySessionStore, createRedisSessionStore, createStoreCipher, type SessionStore } from '../session/index.js';

export function createSessionStore(config: LoadedConfig, logger: Logger): SessionStore {
  const store = config.cemcp.store;
  switch (store.type) {
    case 'memory':
      return createMemorySessionStore();
    case 'redis':
      return createRedisSessionStore({
        url: store.url,
        cipher: createStoreCipher(store.encryptionKeys),
        keyPrefix: store.keyPrefix,
        connectTimeoutMs: store.connectTimeoutMs,
        commandTimeoutMs: store.commandTimeoutMs,
        logger,
      });
  }
}

/** True when other gateway processes may share this store (and so what it holds). */
export function isSharedStore(store: SessionStore): boolean {
  return store.kind !== 'memory';
}
