// Static API keys for small setups: each configured key is kept only as its SHA-256, a presented
// bearer value is hashed and compared against every stored hash in constant time, and a match
// is that key's principal (source 'api-key', subject = the key's name, its configured scopes).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../common/index.js';

export interface ApiKeyEntry {
  readonly name: string;
  /** The key's SHA-256 as 64 hex digits. */
  readonly sha256Hex: string;
  readonly scopes: readonly string[];
}

/** "sha256:<hex>" of a key, the form `cemcp.auth.apiKeys[].hash` takes (same as `printf %s KEY | sha256sum`). */
export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

export class ApiKeyTable {
  private readonly entries: readonly { readonly digest: Buffer; readonly principal: Principal }[];

  constructor(keys: readonly ApiKeyEntry[]) {
    this.entries = keys.map((key) => ({
      digest: Buffer.from(key.sha256Hex.toLowerCase(), 'hex'),
      principal: Object.freeze({ subject: key.name, scopes: Object.freeze([...key.scopes]), source: 'api-key' as const }),
    }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** The principal of the key presented, or undefined. Every entry is compared, so timing tells nothing about which or how close. */
  match(presented: string): Principal | undefined {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let found: Principal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest) && !found) found = entry.principal;
    }
    return found;
  }
}
