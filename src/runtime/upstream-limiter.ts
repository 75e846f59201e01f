// Per-upstream admission, shared by every session of the gateway process: at most `maxConcurrent`
// calls in flight to an upstream and, when set, a token bucket of `perSecond` calls with `burst`.
// Waiters queue first come, first served and hold no CPU (a timer wakes the head for its token).
// Invariant: a lease is released at most once; an aborted waiter never holds a slot or a token.

/** One upstream's limits, as the limiter takes them (config/upstream-limits.ts resolves them). */
export interface UpstreamLimitSettings {
  readonly maxConcurrent: number;
  /** Absent: no rate limit. */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number } | undefined;
  /** Timeout of one call; the smaller of this and the caller's timeout applies (see pipeline/upstream-slot.ts). */
  readonly callTimeoutMs?: number | undefined;
  /** Where the upstream's entry is in the config (`mcpServers.crm`); messages name the keys under it. */
  readonly configPath: string;
}

/** A granted admission; `release` frees the slot (the token is spent). Idempotent. */
export interface Lease {
  release(): void;
  /** How long the call waited for its slot and token. */
  readonly waitedMs: number;
}

export interface UpstreamLoad {
  readonly inFlight: number;
  readonly waiting: number;
}

/** A call whose wait ended because its signal aborted (the run ended or was cancelled), and what held it. */
export interface CutShortWait {
  readonly server: string;
  readonly configPath: string;
  /** The limit that kept it waiting: every slot taken, or no token in the bucket. */
  readonly heldBy: 'maxConcurrent' | 'rateLimit';
  readonly waitedMs: number;
}

export interface UpstreamLimiter {
  /**
   * Waits for a slot (and a token) of `server`; undefined, holding nothing, when `signal` aborts
   * first. An upstream with no settings is not limited: its lease is granted at once.
   */
  acquire(server: string, signal?: AbortSignal): Promise<Lease | undefined>;
  /** The settings of `server`, if it has any. */
  settingsOf(server: string): UpstreamLimitSettings | undefined;
  /** Calls in flight and waiting for `server` now. */
  loadOf(server: string): UpstreamLoad;
  /** The waits that `signal`'s abort cut short, in the order they were queued. */
  cutShort(signal: AbortSignal): readonly CutShortWait[];
}

export interface UpstreamLimiterOptions {
  /** Milliseconds, monotonic; tests pass a fake clock. */
  readonly now?: () => number;
}

interface Waiter {
  readonly server: string;
  readonly gate: Gate;
  readonly queuedAt: number;
  grant(lease: Lease): void;
  cancel(): void;
}

interface Gate {
  readonly settings: UpstreamLimitSettings;
  inFlight: number;
  tokens: number;
  refilledAt: number;
  /** Waiters in arrival order (a Set keeps insertion order and removes an aborted one in O(1)). */
  readonly queue: Set<Waiter>;
  timer?: ReturnType<typeof setTimeout> | undefined;
}

const NO_LIMIT: Lease = { release: () => undefined, waitedMs: 0 };

export function createUpstreamLimiter(
  settings: ReadonlyMap<string, UpstreamLimitSettings>,
  options: UpstreamLimiterOptions = {},
): UpstreamLimiter {
  const now = options.now ?? (() => performance.now());
  const gates = new Map<string, Gate>();
  const cut = new WeakMap<AbortSignal, CutShortWait[]>();
  // One abort listener per signal, however many of its calls wait (a run's Promise.all of 100
  // would otherwise add 100 listeners to the run's signal, and Node warns past 10).
  const waitersOf = new WeakMap<AbortSignal, Set<Waiter>>();

  const watch = (signal: AbortSignal, waiter: Waiter): void => {
    let waiters = waitersOf.get(signal);
    if (!waiters) {
      const set = (waiters = new Set());
      waitersOf.set(signal, set);
      signal.addEventListener('abort', () => {
        waitersOf.delete(signal);
        const touched = new Set<Gate>();
        const waits: CutShortWait[] = [];
        for (const w of set) {
          w.gate.queue.delete(w);
          touched.add(w.gate);
          const heldBy = w.gate.inFlight >= w.gate.settings.maxConcurrent ? 'maxConcurrent' : 'rateLimit';
          waits.push({ server: w.server, configPath: w.gate.settings.configPath, heldBy, waitedMs: now() - w.queuedAt });
          w.cancel();
        }
        if (waits.length) cut.set(signal, waits);
        for (const gate of touched) pump(gate);
      }, { once: true });
    }
    waiters.add(waiter);
  };
  for (const [server, s] of settings) {
    gates.set(server, { settings: s, inFlight: 0, tokens: s.rateLimit?.burst ?? 0, refilledAt: now(), queue: new Set() });
  }

  const refill = (gate: Gate): void => {
    const rate = gate.settings.rateLimit;
    if (!rate) return;
    const at = now();
    gate.tokens = Math.min(rate.burst, gate.tokens + ((at - gate.refilledAt) * rate.perSecond) / 1000);
    gate.refilledAt = at;
  };

  /** Whether a call may start now; takes the slot and the token when it may. */
  const take = (gate: Gate): boolean => {
    if (gate.inFlight >= gate.settings.maxConcurrent) return false;
    if (gate.settings.rateLimit) {
      refill(gate);
      if (gate.tokens < 1) return false;
      gate.tokens -= 1;
    }
    gate.inFlight += 1;
    return true;
  };

  const leaseFor = (gate: Gate, queuedAt: number): Lease => {
    let released = false;
    return {
      waitedMs: now() - queuedAt,
      release() {
        if (released) return;
        released = true;
        gate.inFlight -= 1;
        pump(gate);
      },
    };
  };

  /** Grants waiters in order while they may start; when the head waits only for a token, a timer wakes it. */
  const pump = (gate: Gate): void => {
    while (gate.queue.size && take(gate)) {
      const waiter = gate.queue.values().next().value!;
      gate.queue.delete(waiter);
      waiter.grant(leaseFor(gate, waiter.queuedAt));
    }
    const rate = gate.settings.rateLimit;
    if (gate.queue.size && rate && gate.inFlight < gate.settings.maxConcurrent && gate.timer === undefined) {
      const waitMs = Math.max(1, Math.ceil(((1 - gate.tokens) * 1000) / rate.perSecond));
      gate.timer = setTimeout(() => {
        gate.timer = undefined;
        pump(gate);
      }, waitMs);
    }
    if (!gate.queue.size && gate.timer !== undefined) {
      clearTimeout(gate.timer);
      gate.timer = undefined;
    }
  };

  return {
    acquire(server, signal) {
      const gate = gates.get(server);
      if (signal?.aborted) return Promise.resolve(undefined);
      if (!gate) return Promise.resolve(NO_LIMIT);
      const queuedAt = now();
      if (!gate.queue.size && take(gate)) return Promise.resolve(leaseFor(gate, queuedAt));
      return new Promise<Lease | undefined>((resolve) => {
        const waiter: Waiter = {
          server,
          gate,
          queuedAt,
          grant(lease) {
            if (signal) waitersOf.get(signal)?.delete(waiter);
            resolve(lease);
          },
          cancel: () => resolve(undefined),
        };
        gate.queue.add(waiter);
        if (signal) watch(signal, waiter);
        pump(gate);
      });
    },
    settingsOf: (server) => gates.get(server)?.settings,
    loadOf(server) {
      const gate = gates.get(server);
      return { inFlight: gate?.inFlight ?? 0, waiting: gate?.queue.size ?? 0 };
    },
    cutShort: (signal) => cut.get(signal) ?? [],
  };
}

/**
 * One line per upstream for the run's error text: how many calls were still waiting, for which
 * limit, and the config key that raises it. Empty when no wait was cut short.
 */
export function describeCutShortWaits(waits: readonly CutShortWait[], limiter: Pick<UpstreamLimiter, 'settingsOf'> | undefined): string {
  const byServer = new Map<string, CutShortWait[]>();
  for (const wait of waits) byServer.set(wait.server, [...(byServer.get(wait.server) ?? []), wait]);
  return [...byServer].map(([server, list]) => {
    const longest = Math.round(Math.max(...list.map((w) => w.waitedMs)));
    const count = `${list.length} call${list.length === 1 ? ' was' : 's were'}`;
    return `${count} still waiting for upstream "${server}" (longest ${longest} ms; ${limitHint(list, limiter?.settingsOf(server))}, or make fewer calls at once)`;
  }).join('\n');
}

/** "at most 2 at once, shared by every session: raise mcpServers.crm.maxConcurrent" (or the rate). */
export function limitHint(waits: readonly CutShortWait[], settings: UpstreamLimitSettings | undefined): string {
  const path = settings?.configPath ?? waits[0]?.configPath ?? 'the upstream entry';
  const rate = waits.some((w) => w.heldBy === 'rateLimit') ? settings?.rateLimit : undefined;
  return rate
    ? `${rate.perSecond} calls per second with bursts of ${rate.burst}: raise ${path}.rateLimit`
    : `at most ${settings?.maxConcurrent ?? '?'} at once, shared by every session: raise ${path}.maxConcurrent`;
}
