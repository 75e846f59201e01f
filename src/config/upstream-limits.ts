// The per-upstream limit keys (maxConcurrent, rateLimit, callTimeoutMs): their schema, shared by
// mcpServers entries, openapi sources and the defaults blocks under cemcp.upstreams, and their
// resolution (entry over its kind's defaults) into one plain record per upstream. Defaults live here.
import { z } from 'zod';
import { strictObject } from './suggest.js';

export const RateLimitSchema = strictObject({
  /** Calls per second, on average (a token bucket refilled at this rate; fractions allowed: 0.5 = one call every 2 s). */
  perSecond: z.number().positive('expected calls per second above 0; write "rateLimit": false for no rate limit'),
  /** Calls that may go at once after a quiet spell (the bucket's size); default: one second's worth, at least 1. */
  // Not .int(): inside the union below, a type issue would hide this message behind the union's.
  burst: z.number().refine((n) => Number.isInteger(n) && n >= 1, 'expected a whole number of calls, at least 1').optional(),
});

/** `false` turns the rate limit off for that upstream (or kind). */
const RateLimitSetting = z.union([z.literal(false), RateLimitSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'expected { "perSecond": number, "burst"?: number }, or false for no rate limit' : undefined),
});

/** The keys as an mcpServers entry or an openapi source writes them; each is optional there. */
export const UpstreamLimitKeys = {
  /** Calls in flight at once to this upstream, over every session of the gateway process. */
  maxConcurrent: z.number().int().min(1, 'expected at least 1 call at once').optional(),
  rateLimit: RateLimitSetting.optional(),
  /** Timeout of one call to this upstream; the smaller of this and cemcp.limits.toolCallTimeoutMs applies. */
  callTimeoutMs: z.number().int().positive().optional(),
};

/**
 * The defaults of one kind of upstream, overridden key by key by an entry's own keys.
 * Remote (a `url` entry or an OpenAPI source): usually a SaaS API with a published rate limit and
 * penalties for bursts (HubSpot ~10/s, Notion ~3/s, Cloudflare ~4/s sustained; GitHub refuses
 * bursts of concurrent requests), so 8 at once and 10/s with bursts of 20 by default.
 * Local (a stdio `command`): a child process that serves only this gateway; 32 at once (above the
 * per-run cap, so it binds across runs and sessions), no rate limit (a loop over 500 files must not
 * crawl); set rateLimit on a stdio entry that wraps a SaaS API.
 */
function defaultsFor(maxConcurrent: number, rateLimit: false | { perSecond: number; burst: number }) {
  return strictObject({
    maxConcurrent: z.number().int().min(1, 'expected at least 1 call at once').default(maxConcurrent),
    rateLimit: RateLimitSetting.default(rateLimit),
    callTimeoutMs: z.number().int().positive().optional(),
  });
}
export const RemoteUpstreamDefaultsSchema = defaultsFor(8, { perSecond: 10, burst: 20 });
export const LocalUpstreamDefaultsSchema = defaultsFor(32, false);

export type RateLimitConfig = z.infer<typeof RateLimitSchema>;
export type UpstreamLimitDefaults = z.infer<typeof RemoteUpstreamDefaultsSchema>;

/** One upstream's limits, resolved; `configPath` is where its entry is (`mcpServers.crm`): messages name the key to raise there. */
export interface ResolvedUpstreamLimits {
  readonly maxConcurrent: number;
  /** Absent: no rate limit. */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
  /** Absent: only cemcp.limits.toolCallTimeoutMs applies. */
  readonly callTimeoutMs?: number;
  readonly configPath: string;
}

interface LimitKeys {
  readonly maxConcurrent?: number | undefined;
  readonly rateLimit?: false | RateLimitConfig | undefined;
  readonly callTimeoutMs?: number | undefined;
}

/** What the resolution needs of a config (a parsed Config fits). */
export interface LimitSources {
  readonly mcpServers: Readonly<Record<string, LimitKeys & { readonly url?: string; readonly disabled?: boolean | undefined }>>;
  readonly openapi: Readonly<Record<string, LimitKeys & { readonly disabled?: boolean | undefined }>>;
  readonly cemcp: { readonly upstreams: { readonly remote: UpstreamLimitDefaults; readonly local: UpstreamLimitDefaults } };
}

/** Every enabled upstream's limits, by its config key. */
export function resolveUpstreamLimits(config: LimitSources): Map<string, ResolvedUpstreamLimits> {
  const out = new Map<string, ResolvedUpstreamLimits>();
  const { remote, local } = config.cemcp.upstreams;
  for (const [name, entry] of Object.entries(config.mcpServers)) {
    if (entry.disabled) continue;
    const remoteEntry = typeof entry.url === 'string';
    out.set(name, resolveOne(entry, `mcpServers.${name}`, remoteEntry ? remote : local));
  }
  for (const [name, source] of Object.entries(config.openapi)) {
    if (!source.disabled) out.set(name, resolveOne(source, `openapi.${name}`, remote));
  }
  return out;
}

function resolveOne(entry: LimitKeys, configPath: string, defaults: UpstreamLimitDefaults): ResolvedUpstreamLimits {
  const rate = entry.rateLimit ?? defaults.rateLimit;
  const callTimeoutMs = entry.callTimeoutMs ?? defaults.callTimeoutMs;
  return {
    maxConcurrent: entry.maxConcurrent ?? defaults.maxConcurrent,
    ...(rate ? { rateLimit: { perSecond: rate.perSecond, burst: rate.burst ?? Math.max(1, Math.ceil(rate.perSecond)) } } : {}),
    ...(callTimeoutMs !== undefined ? { callTimeoutMs } : {}),
    configPath,
  };
}
