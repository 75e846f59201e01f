// The SessionStore contract: per-session keyed JSON records with a session-wide expiry, written
// with compare-and-set revisions. Async so a shared store (Redis) is a second implementation of
// this interface; only JSON crosses it, never live objects. Imported through session/index.ts.

import type { JsonValue } from '../common/index.js';

/** What a store holds: plain JSON (an implementation may keep it as text). */
export type { JsonValue };

export interface StoredValue {
  readonly value: JsonValue;
  /** Bumped by every write of the key; a key that is absent has revision 0. */
  readonly revision: number;
}

export interface SetOptions {
  /** Write only when the key's revision still is this (0: only when the key is absent). */
  readonly ifRevision?: number;
}

export type SetResult =
  | { readonly ok: true; readonly revision: number }
  /** The key moved on since `ifRevision`: nothing was written; `current` is what is there now. */
  | { readonly ok: false; readonly current: StoredValue | undefined };

/**
 * Session data of every session of a gateway. A session's keys expire together `ttlMs` after its
 * last `touch` (a session never touched does not expire); an expired session reads as empty.
 * Writes keep the session's expiry as it is. Every method may reject when the store is unreachable.
 */
export interface SessionStore {
  /** Short name for logs and errors: "memory", "redis". */
  readonly kind: string;
  get(sessionId: string, key: string): Promise<StoredValue | undefined>;
  /** The key's revision (0: absent), without reading its value: a reader checks it before a `get`. */
  revision(sessionId: string, key: string): Promise<number>;
  set(sessionId: string, key: string, value: JsonValue, options?: SetOptions): Promise<SetResult>;
  /** True when the key was there. */
  delete(sessionId: string, key: string): Promise<boolean>;
  /** The session's keys, in no particular order. */
  keys(sessionId: string): Promise<string[]>;
  /** The session (all of its keys) now expires `ttlMs` from now. */
  touch(sessionId: string, ttlMs: number): Promise<void>;
  /** Drops the session and every key of it. */
  deleteSession(sessionId: string): Promise<void>;
  /** Sessions held now (expired ones excluded): for operators and tests. */
  sessionCount(): Promise<number>;
  /** Resolves when the store answers now (a cheap round trip for /readyz); rejects, saying why, when it cannot be reached or is closed. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
