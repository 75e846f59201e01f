// The session stage's public surface: the SessionStore contract, its in-memory implementation and
// the Session object. Imports only common/; server/ and cli/ import this file.
export type { JsonValue, SessionStore, SetOptions, SetResult, StoredValue } from './store.js';
export { createMemorySessionStore } from './memory-store.js';
export type { MemoryStoreOptions } from './memory-store.js';
export { keptOnShutdown, Session, TRANSPORT_RECORD_KEYS } from './session.js';
export type { ClientInfo, EndRun, MirroredState, SessionOptions } from './session.js';
export { GATEWAY_RECORDS_ID, storeRecords } from './records.js';
export { createRedisSessionStore, REDIS_STORE_DEFAULTS } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store.js';
export { createStoreCipher, decodeStoreKey, storeKeyId } from './store-cipher.js';
export type { StoreCipher } from './store-cipher.js';
