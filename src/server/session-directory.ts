// Where any process sharing the store finds an HTTP session: a small record under the session's
// store id (the principal it is bound to, the initialize request's params), written at initialize
// and read by a process handed an mcp-session-id it does not hold, which then rebuilds the session
// (http-rebuild.ts). Also when the session was last used by any process. Used by http.ts.
import { createHash } from 'node:crypto';
import { CemcpError, describeError, principalKey, type Principal } from '../common/index.js';
import { TRANSPORT_RECORD_KEYS, type JsonValue, type SessionStore } from '../session/index.js';

const [RECORD_KEY, ACTIVE_KEY] = TRANSPORT_RECORD_KEYS as [string, string];

/** The store's id of the data of a session presented as `mcpSessionId`: a hash, so logs and audit records never hold the id itself. */
export function storeSessionId(transport: string, mcpSessionId: string): string {
  return `${transport}-${createHash('sha256').update(mcpSessionId).digest('hex').slice(0, 32)}`;
}

/** What the client sent in its initialize: replayed to prime a rebuilt session as initialized. */
export interface InitializeParams {
  readonly protocolVersion: string;
  readonly capabilities: JsonValue;
  readonly clientInfo: JsonValue;
}

export interface SessionRecord {
  /** principalKey() of the principal the session is bound to. */
  readonly principal: string;
  readonly initialize: InitializeParams;
}

export interface SessionDirectory {
  /** Short name of the store, for errors. */
  readonly kind: string;
  /** Records a new session before its id is handed out; rejects (SESSION_STORE) when the store cannot be written. */
  create(mcpSessionId: string, principal: Principal, initialize: InitializeParams): Promise<void>;
  /** The session's record, when it exists and is bound to `principal` (another principal's reads as absent). */
  find(mcpSessionId: string, principal: Principal): Promise<SessionRecord | undefined>;
  /** True while the session is stored: a copy held here of a session closed elsewhere (DELETE) is not. */
  exists(mcpSessionId: string): Promise<boolean>;
  /** The session was used now: written at most every `touchEveryMs`, with the store's expiry renewed. */
  used(mcpSessionId: string): Promise<void>;
  /** True when no process has used the session for `idleMs` (as far as the throttled writes tell). */
  idleEverywhere(mcpSessionId: string, idleMs: number): Promise<boolean>;
  /** This process no longer holds the session (its throttle entry goes). */
  forget(mcpSessionId: string): void;
}

export interface SessionDirectoryOptions {
  /** The session's data in the store expires this long after its last use; absent: never. */
  readonly ttlMs?: number;
  /** Sessions expire after this long idle (cemcp.sessions.idleTimeoutMs): "used now" is written at most every quarter of it (at most a minute). */
  readonly idleMs?: number;
  readonly now?: () => number;
}

const TRANSPORT = 'http';

export function createSessionDirectory(store: SessionStore, options: SessionDirectoryOptions = {}): SessionDirectory {
  const now = options.now ?? Date.now;
  const every = Math.min(60_000, Math.floor((options.idleMs ?? 240_000) / 4));
  const lastWritten = new Map<string, number>();
  const idOf = (mcpSessionId: string) => storeSessionId(TRANSPORT, mcpSessionId);
  const failed = (doing: string, error: unknown) => new CemcpError('SESSION_STORE',
    `session store (${store.kind}): ${doing} failed: ${describeError(error)}. Check that the store is reachable (cemcp.store), then try again`, { store: store.kind }, { cause: error });

  const markUsed = async (id: string, at: number) => {
    await store.set(id, ACTIVE_KEY, at);
    if (options.ttlMs !== undefined) await store.touch(id, options.ttlMs);
  };

  return {
    kind: store.kind,
    async create(mcpSessionId, principal, initialize) {
      const id = idOf(mcpSessionId);
      const record: SessionRecord = { principal: principalKey(principal), initialize };
      try {
        await store.set(id, RECORD_KEY, record as unknown as JsonValue);
        const at = now();
        await markUsed(id, at);
        lastWritten.set(mcpSessionId, at);
      } catch (error) {
        throw failed('recording the new session', error);
      }
    },
    async find(mcpSessionId, principal) {
      let stored;
      try {
        stored = await store.get(idOf(mcpSessionId), RECORD_KEY);
      } catch (error) {
        throw failed('reading the session', error);
      }
      const record = parseRecord(stored?.value);
      return record && record.principal === principalKey(principal) ? record : undefined;
    },
    async exists(mcpSessionId) {
      return (await store.revision(idOf(mcpSessionId), RECORD_KEY)) !== 0;
    },
    async used(mcpSessionId) {
      const at = now();
      const last = lastWritten.get(mcpSessionId);
      if (last !== undefined && at - last < every) return;
      lastWritten.set(mcpSessionId, at);
      await markUsed(idOf(mcpSessionId), at);
    },
    async idleEverywhere(mcpSessionId, idleMs) {
      const stored = await store.get(idOf(mcpSessionId), ACTIVE_KEY);
      return typeof stored?.value !== 'number' || now() - stored.value >= idleMs;
    },
    forget(mcpSessionId) {
      lastWritten.delete(mcpSessionId);
    },
  };
}

function parseRecord(value: unknown): SessionRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { principal, initialize } = value as Partial<SessionRecord>;
  if (typeof principal !== 'string' || !initialize || typeof initialize.protocolVersion !== 'string') return undefined;
  return { principal, initialize };
}
