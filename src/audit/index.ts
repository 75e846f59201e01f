// The audit stage's public surface: records and flags, the JSONL store and its queries, the static
// program check, call flags and the tool policy. Imports only common/; runtime/ and cli/ use it.
export { hashCode, createMemoryAuditSink, FLAG_KINDS } from './record.js';
export type { AuditRecord, AuditCall, AuditSession, AuditSink, CallFate, Flag, FlagKind } from './record.js';
export { DEFAULT_AUDIT_BOUNDS, MAX_FLAGS, MAX_OPERATIONS, capCode, capFlags, countOperations, sampleCalls } from './record-bounds.js';
export type { AuditBounds, CallSample } from './record-bounds.js';
export { createJsonlAuditStore, readAuditRecords, listAuditFiles } from './jsonl-store.js';
export type { JsonlAuditStore, JsonlAuditStoreOptions } from './jsonl-store.js';
export { escapeJsonForTerminal, filterRecords, findRecord, formatRecord, formatRecordLine, parseTimeSpec } from './query.js';
export type { AuditFilter } from './query.js';
export { checkProgram } from './static-check.js';
export type { LineMapper } from './static-check.js';
export { flagCall, flagVolume } from './call-flags.js';
export type { VolumeThresholds } from './call-flags.js';
export { createPolicy } from './policy.js';
export type { Policy, PolicyAction, PolicyDecision, PolicyLists, PolicySettings, PrincipalPolicyRule } from './policy.js';
