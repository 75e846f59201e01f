export { UpstreamConnection } from './connection.js';
export type { UpstreamState, UpstreamEvents, CallOptions } from './connection.js';
export { UpstreamPool } from './pool.js';
export type { StartReport } from './pool.js';
export type { TransportKind } from './transport.js';
