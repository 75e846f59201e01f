// Tokens already validated, so that a session's many requests with one JWT verify its signature
// once: keyed by the token's SHA-256, kept at most `ttlMs` and never past the token's own expiry
// (plus the clock tolerance), bounded in count (the oldest go first). Refusals are not kept.
import { createHash } from 'node:crypto';
import type { Principal } from '../../common/index.js';

const MAX_ENTRIES = 10_000;

export class VerifiedTokens {
  private readonly entries = new Map<string, { readonly principal: Principal; readonly until: number }>();

  constructor(private readonly ttlMs: number) {}

  get(token: string): Principal | undefined {
    const key = digest(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.principal;
    this.entries.delete(key);
    return undefined;
  }

  /** `expiresAtMs`: the token's exp plus the clock tolerance, in ms. */
  set(token: string, principal: Principal, expiresAtMs: number): void {
    const until = Math.min(Date.now() + this.ttlMs, expiresAtMs);
    if (this.ttlMs <= 0 || until <= Date.now()) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(digest(token), { principal, until });
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
