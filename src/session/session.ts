// One client session: id, transport, client, created and last-used times, and its data in the
// SessionStore. Live state (the PII map) stays in this process, synchronous for the hot paths,
// and is mirrored to one store key each: pulled and merged at the start of every run, written
// back (compare-and-set, merging on conflict) at its end. Plain records (state, skills, handles,
// learned shapes) are keys of their own. Imported through session/index.ts by server/ and cli/.
import { CemcpError, describeError, type Records } from '../common/index.js';
import { storeRecords } from './records.js';
import type { JsonValue, SessionStore } from './store.js';

/** Live state a session keeps in the process and mirrors to the store under one key. */
export interface MirroredState {
  /** Bumped by every change the store should see. */
  readonly version: number;
  exportState(): JsonValue;
  /** Merges a stored snapshot in; never loses what this process holds (but may revoke what conflicts). */
  mergeState(state: unknown): void;
  /** Drops what it holds: the session ended. */
  close(): void;
}

export interface ClientInfo {
  readonly name: string;
  readonly version: string;
}

export interface SessionOptions {
  readonly id: string;
  /** stdio, http, cli, embedded. */
  readonly transport: string;
  readonly store: SessionStore;
  /** The session's data expires this long after its last use; absent: it lasts until close. */
  readonly ttlMs?: number;
  readonly mirrors?: Readonly<Record<string, MirroredState>>;
  readonly client?: ClientInfo;
  /** Milliseconds since the epoch; tests pass a fake. */
  readonly now?: () => number;
}

/** Ends a run: writes the mirrors back. Rejects (with SESSION_STORE) when the store fails. */
export type EndRun = () => Promise<void>;

/**
 * Keys of a session kept for the transport that serves it (server/session-directory.ts: how an
 * HTTP session was opened, when it was last used): out of reach of the session's own records.
 */
export const TRANSPORT_RECORD_KEYS: readonly string[] = ['mcp-session', 'mcp-session-active'];

// A run touches the session as it begins; at its end only when it ran for this share of the TTL
// (18 s of 30 min): a shorter run leaves the expiry that much early and saves a round trip.
const TOUCH_AGAIN_FRACTION = 0.01;

// Compare-and-set rounds before a write gives up (each round merges what another writer stored).
const MAX_WRITE_ROUNDS = 8;

export class Session {
  readonly id: string;
  readonly transport: string;
  readonly createdAt: number;
  client: ClientInfo | undefined;
  private readonly options: SessionOptions;
  private readonly now: () => number;
  private lastUsed: number;
  private runs = 0;
  private closed = false;
  private ownRecords: Records | undefined;
  /** Per mirror: the store revision last seen and the mirror version known to be stored. */
  private readonly synced = new Map<string, { revision: number; version: number }>();

  constructor(options: SessionOptions) {
    this.options = options;
    this.id = options.id;
    this.transport = options.transport;
    this.client = options.client;
    this.now = options.now ?? Date.now;
    this.createdAt = this.now();
    this.lastUsed = this.createdAt;
  }

  get lastUsedAt(): number {
    return this.lastUsed;
  }

  /** Runs going on now: a session with one is in use, whatever its idle time. */
  get activeRuns(): number {
    return this.runs;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Marks a run started and pulls every mirror from the store; call the answer when the run ends. */
  async beginRun(): Promise<EndRun> {
    if (this.closed) throw new CemcpError('SESSION_STORE', `session ${this.id} has ended; start a new session`);
    this.runs++;
    this.lastUsed = this.now();
    try {
      // At once, not one after the other: with a shared store each is a round trip.
      await Promise.all([this.touch(), ...Object.keys(this.mirrors).map((key) => this.pull(key))]);
    } catch (error) {
      this.runs--;
      throw storeError(this.options.store, 'reading', this.id, error);
    }
    const startedAt = this.lastUsed;
    let ended = false;
    return async () => {
      if (ended) return;
      ended = true;
      try {
        if (this.closed) return;
        // The touch above set the expiry; a run long enough to move it noticeably touches again.
        const touchAgain = this.now() - startedAt >= (this.options.ttlMs ?? 0) * TOUCH_AGAIN_FRACTION;
        await Promise.all([...Object.keys(this.mirrors).map((key) => this.push(key)), touchAgain ? this.touch() : undefined]);
      } catch (error) {
        throw storeError(this.options.store, 'writing', this.id, error);
      } finally {
        this.runs--;
        this.lastUsed = this.now();
      }
    };
  }

  /** This session's own records (state, handles, ...): keys of the store beside the mirrors, which they cannot reach. */
  get records(): Records {
    return (this.ownRecords ??= storeRecords(this.options.store, this.id, [...Object.keys(this.mirrors), ...TRANSPORT_RECORD_KEYS]));
  }

  /** Ends the session: live state is dropped and its data deleted from the store. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const mirror of Object.values(this.mirrors)) mirror.close();
    await this.options.store.deleteSession(this.id);
  }

  /**
   * Leaves the session to other processes sharing the store: live state is dropped here, its data
   * stays stored (a copy of a session that goes on elsewhere). Idempotent; `close` after it does nothing.
   */
  release(): void {
    if (this.closed) return;
    this.closed = true;
    for (const mirror of Object.values(this.mirrors)) mirror.close();
  }

  /**
   * This process lets go of the session (it is stopping): live state is dropped; the data stays in
   * the store when `keptOnShutdown` says another process may carry the session on, else it is
   * deleted as by `close`. Idempotent, and `close` after it does nothing.
   */
  async leave(): Promise<void> {
    if (this.closed) return;
    if (!keptOnShutdown(this.options.store, this.options.ttlMs)) return this.close();
    this.release();
  }

  private get mirrors(): Readonly<Record<string, MirroredState>> {
    return this.options.mirrors ?? {};
  }

  private async touch(): Promise<void> {
    if (this.options.ttlMs !== undefined) await this.options.store.touch(this.id, this.options.ttlMs);
  }

  private async pull(key: string): Promise<void> {
    const mirror = this.mirrors[key]!;
    const known = this.synced.get(key);
    // Most runs find the key as this process left it: the revision alone says so.
    const revision = await this.options.store.revision(this.id, key);
    if (revision !== 0 && known?.revision === revision) return;
    const stored = revision === 0 ? undefined : await this.options.store.get(this.id, key);
    if (!stored) {
      // Nothing stored (first run, or expired): what is held here must be written again.
      if (mirror.version !== 0) this.synced.set(key, { revision: 0, version: -1 });
      return;
    }
    const clean = known === undefined ? mirror.version === 0 : known.version === mirror.version;
    mirror.mergeState(stored.value);
    // Held nothing unwritten: what is held now is what is stored.
    this.synced.set(key, { revision: stored.revision, version: clean ? mirror.version : -1 });
  }

  private async push(key: string): Promise<void> {
    const mirror = this.mirrors[key]!;
    const { store } = this.options;
    for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
      const known = this.synced.get(key) ?? { revision: 0, version: 0 };
      if (known.version === mirror.version) return;
      const version = mirror.version;
      const written = await store.set(this.id, key, mirror.exportState(), { ifRevision: known.revision });
      if (written.ok) {
        this.synced.set(key, { revision: written.revision, version });
        return;
      }
      // Another writer (a concurrent run, another process) stored first: merge theirs, try again.
      if (written.current) mirror.mergeState(written.current.value);
      this.synced.set(key, { revision: written.current?.revision ?? 0, version: -1 });
    }
    throw new Error(`"${key}" changed under ${MAX_WRITE_ROUNDS} writes in a row`);
  }
}

/**
 * THE one place that decides whether a stopping process keeps a session's data: yes when the store
 * outlives the process (not "memory") and the data expires by itself (a TTL: HTTP sessions), so
 * another process behind the same load balancer carries the session on. A session without a TTL
 * (stdio, cli) ends with its process, and a memory store ends with it anyway.
 */
export function keptOnShutdown(store: SessionStore, ttlMs: number | undefined): boolean {
  return store.kind !== 'memory' && ttlMs !== undefined;
}

function storeError(store: SessionStore, doing: string, id: string, error: unknown): CemcpError {
  if (error instanceof CemcpError) return error;
  return new CemcpError('SESSION_STORE', `session store (${store.kind}): ${doing} the data of session ${id} failed: ${describeError(error)}`, { store: store.kind }, { cause: error });
}
