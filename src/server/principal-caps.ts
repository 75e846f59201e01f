// Per-principal caps (cemcp.principals): live sessions, runs at once, runs per minute. Counted in
// the store's records (compare-and-set), so every gateway process sharing the store holds one
// count; each session and run is a lease with an expiry, so a process that dies leaks nothing
// past it. A principal with no cap configured costs no store access. Used by http.ts (sessions)
// and gateway-service.ts (runs); cli/principal-wiring.ts builds it from config.
import { createHash, randomUUID } from 'node:crypto';
import { compilePrincipalMatch, principalKey, type JsonValue, type Principal, type PrincipalMatch, type Records } from '../common/index.js';

/** The store's session id of the caps' counters: never touched, so it never expires (like the gateway's records). */
export const PRINCIPAL_CAPS_RECORDS_ID = 'cemcp:principals';

export interface PrincipalCapLimits {
  readonly maxSessions?: number | undefined;
  readonly maxConcurrentRuns?: number | undefined;
  readonly maxRunsPerMinute?: number | undefined;
}

export interface PrincipalCapsOptions {
  /** Shared by every process of the gateway (the store's records under one id that never expires). */
  readonly records: Records;
  readonly defaults: PrincipalCapLimits;
  /** The first whose match names the principal replaces the defaults it sets (cemcp.principals.overrides[i]). */
  readonly overrides?: readonly (PrincipalCapLimits & { readonly match: PrincipalMatch })[];
  /** A session's lease: renewed while it is used; a session not renewed for this long no longer counts. */
  readonly sessionLeaseMs: number;
  /** A run's lease: longer than any run lasts (wall time plus waiting for upstreams). */
  readonly runLeaseMs: number;
  /** Told how long a run's longest wait is, for the "retry when" of the concurrency cap. */
  readonly runWallMs: number;
  readonly now?: () => number;
}

export interface CapRefusal {
  /** The config key of the cap that refused, as the config writes it. */
  readonly key: string;
  readonly limit: number;
  readonly message: string;
  /** When trying again can succeed (runs per minute); absent: when a session or run ends. */
  readonly retryAfterMs?: number;
}

export interface SessionLease {
  /** The session was used: extends the lease (at most one store write per quarter lease). */
  renew(): void;
  /** The session ended: its place is free. */
  release(): Promise<void>;
}

export type CapAnswer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: CapRefusal };

export interface PrincipalCaps {
  /** A place for a new session `sessionId` of `principal`, or the refusal (HTTP 429). Rejects when the store cannot be reached. */
  openSession(principal: Principal, sessionId: string): Promise<CapAnswer<SessionLease>>;
  /** A place for a run; the value ends it. Rejects when the store cannot be reached. */
  beginRun(principal: Principal): Promise<CapAnswer<() => Promise<void>>>;
}

type Leases = Record<string, number>;
interface RunsValue {
  active: Leases;
  /** Token bucket of maxRunsPerMinute: tokens left at `at` (epoch ms). */
  bucket?: { tokens: number; at: number };
}

const NO_LEASE: SessionLease = { renew: () => undefined, release: async () => undefined };
const MINUTE_MS = 60_000;

export function createPrincipalCaps(options: PrincipalCapsOptions): PrincipalCaps {
  const now = options.now ?? Date.now;
  const overrides = (options.overrides ?? []).map((o, i) => ({ matcher: compilePrincipalMatch(o.match), limits: o, prefix: `cemcp.principals.overrides[${i}]` }));
  /** The principal's value of one cap, and the config key that set it. */
  const capOf = (principal: Principal, cap: keyof PrincipalCapLimits): { limit: number; key: string } | undefined => {
    const override = overrides.find((o) => o.matcher.matches(principal));
    const fromOverride = override?.limits[cap];
    if (override && fromOverride !== undefined) return { limit: fromOverride, key: `${override.prefix}.${cap}` };
    const limit = options.defaults[cap];
    return limit === undefined ? undefined : { limit, key: `cemcp.principals.${cap}` };
  };
  const keyOf = (kind: string, principal: Principal) => `${kind}/${hash(principalKey(principal))}`;
  const who = (principal: Principal) => `principal ${JSON.stringify(principal.subject)}`;

  return {
    async openSession(principal, sessionId) {
      const cap = capOf(principal, 'maxSessions');
      if (!cap) return { ok: true, value: NO_LEASE };
      const key = keyOf('sessions', principal);
      const lease = hash(sessionId);
      let admitted = false;
      await options.records.update(key, (current) => {
        const t = now();
        const leases = live(current as Leases | undefined, t);
        admitted = lease in leases || Object.keys(leases).length < cap.limit;
        if (admitted) leases[lease] = t + options.sessionLeaseMs;
        return leases;
      });
      if (!admitted) {
        return { ok: false, refusal: { ...cap, message: `too many sessions for ${who(principal)}: it may hold at most ${cap.limit} live sessions at once (${cap.key}). `
          + `Close a session you no longer use (HTTP DELETE with its mcp-session-id), wait for an idle one to expire (cemcp.sessions.idleTimeoutMs), or raise ${cap.key}.` } };
      }
      let renewedAt = now();
      let released = false;
      const write = (change: (leases: Leases, t: number) => void) => options.records.update(key, (current) => {
        const t = now();
        const leases = live(current as Leases | undefined, t);
        change(leases, t);
        return leases;
      });
      return {
        ok: true,
        value: {
          renew() {
            if (released || now() - renewedAt < options.sessionLeaseMs / 4) return;
            renewedAt = now();
            // Best effort: a renewal the store misses leaves the lease to its expiry, counted until then.
            write((leases, t) => void (leases[lease] = t + options.sessionLeaseMs)).catch(() => undefined);
          },
          async release() {
            if (released) return;
            released = true;
            await write((leases) => void delete leases[lease]);
          },
        },
      };
    },

    async beginRun(principal) {
      const concurrent = capOf(principal, 'maxConcurrentRuns');
      const perMinute = capOf(principal, 'maxRunsPerMinute');
      if (!concurrent && !perMinute) return { ok: true, value: async () => undefined };
      const key = keyOf('runs', principal);
      const lease = randomUUID();
      let refusal: CapRefusal | undefined;
      await options.records.update(key, (current) => {
        const t = now();
        const value = (current ?? { active: {} }) as unknown as RunsValue;
        const active = live(value.active, t);
        const next: RunsValue = { active, ...(value.bucket ? { bucket: value.bucket } : {}) };
        refusal = undefined;
        if (concurrent && Object.keys(active).length >= concurrent.limit) {
          refusal = { ...concurrent, message: `execute refused: ${who(principal)} already has ${concurrent.limit} runs going on, the most at once (${concurrent.key}: ${concurrent.limit}). `
            + `Retry when one of them ends (a run lasts at most cemcp.limits.wallMs, ${options.runWallMs} ms), or raise ${concurrent.key}.` };
          return next as unknown as JsonValue;
        }
        if (perMinute) {
          const rate = perMinute.limit / MINUTE_MS;
          const last = value.bucket ?? { tokens: perMinute.limit, at: t };
          const tokens = Math.min(perMinute.limit, last.tokens + Math.max(0, t - last.at) * rate);
          if (tokens < 1) {
            const retryAfterMs = Math.ceil((1 - tokens) / rate);
            refusal = { ...perMinute, retryAfterMs, message: `execute refused: ${who(principal)} started ${perMinute.limit} runs in the last minute, the most allowed (${perMinute.key}: ${perMinute.limit}). `
              + `Retry in ${Math.ceil(retryAfterMs / 1000)} s, or raise ${perMinute.key}.` };
            return next as unknown as JsonValue;
          }
          next.bucket = { tokens: tokens - 1, at: t };
        }
        if (concurrent) active[lease] = t + options.runLeaseMs;
        return next as unknown as JsonValue;
      });
      if (refusal) return { ok: false, refusal };
      if (!concurrent) return { ok: true, value: async () => undefined };
      let ended = false;
      return {
        ok: true,
        value: async () => {
          if (ended) return;
          ended = true;
          await options.records.update(key, (current) => {
            const value = (current ?? { active: {} }) as unknown as RunsValue;
            const active = live(value.active, now());
            delete active[lease];
            return { ...value, active } as unknown as JsonValue;
          });
        },
      };
    },
  };
}

/** The leases not expired at `t` (a copy). */
function live(leases: Leases | undefined, t: number): Leases {
  const out: Leases = {};
  for (const [id, expiresAt] of Object.entries(leases ?? {})) if (typeof expiresAt === 'number' && expiresAt > t) out[id] = expiresAt;
  return out;
}

/** Principals' subjects and session ids are not store keys: a fixed-size digest of them is. */
function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** For http.ts: the session's lease, or the HTTP answer: 429 past the principal's cap, 503 when the store cannot count. */
export async function openPrincipalSession(caps: PrincipalCaps | undefined, principal: Principal, sessionId: string):
  Promise<{ ok: true; lease: SessionLease } | { ok: false; status: number; message: string }> {
  if (!caps) return { ok: true, lease: NO_LEASE };
  try {
    const answer = await caps.openSession(principal, sessionId);
    return answer.ok ? { ok: true, lease: answer.value } : { ok: false, status: 429, message: answer.refusal.message };
  } catch {
    // The store's own error (its address, say) stays in the gateway: the client learns what to do.
    return { ok: false, status: 503, message: 'the session store cannot be reached to count this principal\'s sessions (cemcp.principals.maxSessions); try again shortly' };
  }
}
