// `state`: JSON values by key, per MCP session, kept in the session's records across runs. Bounded
// per value, in total bytes and in keys; a refusal names the key, the limit and its config key.
// An index (key -> bytes, in insertion order, changed by compare-and-set) is the accounting; each
// value is a record of its own. Imported by the state namespace only.
import { CemcpError, type JsonValue, type Records } from '../common/index.js';

export interface StateLimits {
  /** Bytes of JSON of one value. */
  readonly maxValueBytes: number;
  /** Bytes of JSON of all of a session's values. */
  readonly maxBytesPerSession: number;
  readonly maxKeys: number;
}

export const STATE_CONFIG = {
  maxValueBytes: 'cemcp.state.maxValueBytes',
  maxBytesPerSession: 'cemcp.state.maxBytesPerSession',
  maxKeys: 'cemcp.state.maxKeys',
} as const;

export const MAX_STATE_KEY_CHARS = 256;

const INDEX_KEY = 'state/index';
const VALUE_PREFIX = 'state/value/';

export class SessionState {
  constructor(private readonly records: Records, private readonly limits: StateLimits) {}

  /** The value under `key`; null when there is none (as localStorage.getItem answers). */
  async get(key: unknown): Promise<unknown> {
    const value = await this.records.read(VALUE_PREFIX + checkKey('get', key));
    return value === undefined ? null : value;
  }

  async set(key: unknown, value: unknown): Promise<void> {
    const name = checkKey('set', key);
    const json = JSON.stringify(value);
    if (json === undefined) throw new CemcpError('ARGUMENT_INVALID', `state.set(${show(name)}): the value is not JSON; store null, a boolean, number, string, array or plain object`);
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > this.limits.maxValueBytes) {
      throw limitError(name, `the value is ${n(bytes)} bytes of JSON, over the limit of ${n(this.limits.maxValueBytes)} bytes per value (${STATE_CONFIG.maxValueBytes}); store less under one key`);
    }
    // The bounds are checked against the index as it is when written: concurrent runs can't both pass.
    let before: number | undefined;
    await this.records.update(INDEX_KEY, (current) => {
      const index = toIndex(current);
      before = index.get(name);
      if (before === undefined && index.size >= this.limits.maxKeys) {
        throw limitError(name, `this session already holds ${n(index.size)} keys, the limit (${STATE_CONFIG.maxKeys}); delete keys you no longer need (state.delete) first`);
      }
      const total = [...index.values()].reduce((sum, b) => sum + b, 0) - (before ?? 0) + bytes;
      if (total > this.limits.maxBytesPerSession) {
        throw limitError(name, `this session's state would hold ${n(total)} bytes, over the limit of ${n(this.limits.maxBytesPerSession)} bytes (${STATE_CONFIG.maxBytesPerSession}); delete keys you no longer need (state.delete) first`);
      }
      index.set(name, bytes);
      return [...index];
    });
    await this.records.write(VALUE_PREFIX + name, value as JsonValue);
  }

  /** True when the key was there. */
  async delete(key: unknown): Promise<boolean> {
    const name = checkKey('delete', key);
    let had = false;
    await this.records.update(INDEX_KEY, (current) => {
      const index = toIndex(current);
      had = index.delete(name);
      return [...index];
    });
    await this.records.remove(VALUE_PREFIX + name);
    return had;
  }

  /** The session's keys, oldest first. */
  async keys(): Promise<string[]> {
    return [...toIndex(await this.records.read(INDEX_KEY)).keys()];
  }
}

/** Stored as [key, bytes] pairs: a key such as `__proto__` stays a key. */
function toIndex(stored: JsonValue | undefined): Map<string, number> {
  const pairs = Array.isArray(stored) ? stored.filter((p): p is [string, number] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'number') : [];
  return new Map(pairs);
}

function checkKey(fn: string, key: unknown): string {
  if (typeof key === 'string' && key.length > 0 && key.length <= MAX_STATE_KEY_CHARS) return key;
  throw new CemcpError('ARGUMENT_INVALID', `state.${fn}: the key must be a non-empty string of at most ${MAX_STATE_KEY_CHARS} characters, e.g. state.${fn}("cursor"${fn === 'set' ? ', value' : ''})`);
}

function limitError(key: string, why: string): CemcpError {
  return new CemcpError('LIMIT_STATE', `state.set(${show(key)}): ${why}`, { key });
}

function show(key: string): string {
  return JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key);
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}
