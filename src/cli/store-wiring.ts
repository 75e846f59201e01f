// Builds the gateway's SessionStore from cemcp.store: this process's memory (the default), or
// Redis shared by every gateway process, its values sealed under the configured keyring. Learned
// result shapes persist beside it: in the cemcp.types file, or in a shared store's durable records.
import path from 'node:path';
import type { Logger } from '../common/index.js';
import type { LoadedConfig } from '../config/index.js';
import { createShapeFile, createShapeRecords, type ShapePersistence } from '../server/index.js';
import { createMemorySessionStore, createRedisSessionStore, createStoreCipher, GATEWAY_RECORDS_ID, storeRecords, type SessionStore } from '../session/index.js';

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

/** Where learned shapes persist: a store shared by several processes holds them; otherwise the cemcp.types file. */
export function shapePersistence(config: LoadedConfig, store: SessionStore, logger: Logger): ShapePersistence {
  if (store.kind === 'memory') return createShapeFile(path.resolve(config.baseDir, config.cemcp.types.file), { logger });
  return createShapeRecords(storeRecords(store, GATEWAY_RECORDS_ID), { logger });
}
