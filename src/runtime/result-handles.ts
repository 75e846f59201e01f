// Result handles: the whole JSON text of a value `execute` cut to a preview, kept in the session's
// records under a random id, read back by `handles.get(id)`. Bounded in bytes per session, oldest
// dropped first; the index remembers dropped ids so a read of one says so. Imported by execute.ts
// and the handles namespace. The index is changed by compare-and-set (Records.update), so runs of
// one session storing at once (or in several gateway processes) never lose each other's handles.
import { randomBytes } from 'node:crypto';
import { CemcpError, type JsonValue, type Records } from '../common/index.js';

export interface HandleLimits {
  /** Bytes of JSON all of a session's handles hold; past it the oldest are dropped (0: no handles). */
  readonly maxBytesPerSession: number;
  /** Bytes of JSON of one handle; a larger value gets no handle. */
  readonly maxBytesPerHandle: number;
}

export const HANDLE_CONFIG = {
  maxBytesPerSession: 'cemcp.handles.maxBytesPerSession',
  maxBytesPerHandle: 'cemcp.handles.maxBytesPerHandle',
} as const;

interface HandleIndex {
  /** Oldest first. */
  readonly live: readonly { readonly id: string; readonly bytes: number }[];
  /** Ids dropped to make room, newest last (the last DROPPED_KEPT). */
  readonly dropped: readonly string[];
}

const INDEX_KEY = 'handles/index';
const VALUE_PREFIX = 'handles/value/';
const DROPPED_KEPT = 512;
const ID_PATTERN = /^h_[A-Za-z0-9_-]{20}$/;

/** 120 random bits: a handle can't be guessed, only read in the session that made it. */
export function newHandleId(): string {
  return `h_${randomBytes(15).toString('base64url')}`;
}

/** Why a value of `bytes` gets no handle; undefined when it may have one. */
export function handleRefusal(bytes: number, limits: HandleLimits): string | undefined {
  if (limits.maxBytesPerSession === 0) return `handles are off (${HANDLE_CONFIG.maxBytesPerSession} is 0)`;
  const max = Math.min(limits.maxBytesPerHandle, limits.maxBytesPerSession);
  if (bytes > max) {
    const key = max === limits.maxBytesPerHandle ? HANDLE_CONFIG.maxBytesPerHandle : HANDLE_CONFIG.maxBytesPerSession;
    return `the value is ${formatBytes(bytes)} of JSON, over the handle limit of ${formatBytes(max)} (${key})`;
  }
  return undefined;
}

/** Stores `json` under `id`, dropping the oldest handles past the session's bound; answers the ids dropped. */
export async function storeHandle(records: Records, id: string, json: string, limits: HandleLimits): Promise<{ dropped: string[] }> {
  const bytes = Buffer.byteLength(json, 'utf8');
  const refusal = handleRefusal(bytes, limits);
  if (refusal) throw new CemcpError('LIMIT_HANDLES', `no handle was kept: ${refusal}`);
  // The text as a string value: read back, it is the very text the guest returned.
  await records.write(VALUE_PREFIX + id, json);
  let dropped: string[] = [];
  try {
    await records.update(INDEX_KEY, (current) => {
      const index = toIndex(current);
      const live = [...index.live, { id, bytes }];
      let total = live.reduce((sum, h) => sum + h.bytes, 0);
      dropped = [];
      // The new handle is last and fits alone: the loop stops before it.
      while (total > limits.maxBytesPerSession) {
        const oldest = live.shift()!;
        total -= oldest.bytes;
        dropped.push(oldest.id);
      }
      return { live, dropped: [...index.dropped, ...dropped].slice(-DROPPED_KEPT) } satisfies JsonValue;
    });
  } catch (error) {
    await records.remove(VALUE_PREFIX + id).catch(() => false);
    throw error;
  }
  for (const old of dropped) await records.remove(VALUE_PREFIX + old);
  return { dropped };
}

/** The JSON text kept under `id`; throws HANDLE_DROPPED or HANDLE_UNKNOWN naming it. */
export async function readHandle(records: Records, id: string, limits: HandleLimits): Promise<string> {
  const shown = JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id);
  if (ID_PATTERN.test(id)) {
    const text = await records.read(VALUE_PREFIX + id);
    if (typeof text === 'string') return text;
    if (toIndex(await records.read(INDEX_KEY)).dropped.includes(id)) {
      throw new CemcpError('HANDLE_DROPPED', `handles.get(${shown}): the handle was dropped: a session keeps at most ${formatBytes(limits.maxBytesPerSession)} of handles (${HANDLE_CONFIG.maxBytesPerSession}) and drops the oldest first. Run the program that made it again, or return less at a time.`, { id });
    }
  }
  throw new CemcpError('HANDLE_UNKNOWN', `handles.get(${shown}): no such handle: it never existed in this session (or the session's data expired). A handle is valid only in the MCP session whose execute answered with it; copy its id whole from that answer.`, { id });
}

function toIndex(stored: JsonValue | undefined): HandleIndex {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return { live: [], dropped: [] };
  const index = stored as Partial<HandleIndex>;
  return { live: Array.isArray(index.live) ? index.live : [], dropped: Array.isArray(index.dropped) ? index.dropped : [] };
}

function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}
