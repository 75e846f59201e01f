// Step: the process-wide upstream limiter (upstream-limiter.ts) admits the call: a slot of the
// upstream's maxConcurrent and a token of its rateLimit, shared by every session. A call waiting
// here has not been sent: if the run ends meanwhile it is dropped, and the answer names the key
// that raises the limit. The upstream's own callTimeoutMs, when smaller, is the call's timeout.
import { LIMITS } from '../limit-messages.js';
import { limitHint, type UpstreamLimiter } from '../upstream-limiter.js';
import { failure, type CallStep } from './call-step.js';

export function upstreamSlot(limiter: UpstreamLimiter, signal: AbortSignal, timeoutMs: number): CallStep {
  return async (call, next) => {
    const server = call.target.server;
    const lease = await limiter.acquire(server, signal);
    const settings = limiter.settingsOf(server);
    if (!lease) {
      const wait = limiter.cutShort(signal).filter((w) => w.server === server).slice(-1);
      return failure('LIMIT_UPSTREAM_BUSY', `${call.target.callName}: the run ended while the call waited for its turn (${limitHint(wait, settings)}, or make fewer calls at once)`);
    }
    const own = settings?.callTimeoutMs;
    const ownBinds = own !== undefined && own < timeoutMs;
    try {
      const reply = await next(ownBinds ? { ...call, timeoutMs: own } : call);
      if (reply.ok || reply.error.code !== 'UPSTREAM_TIMEOUT') return reply;
      // Name the key of the timeout that ran out.
      const key = ownBinds ? `${settings!.configPath}.callTimeoutMs (${own} ms)` : LIMITS.toolCallTimeoutMs.configKey;
      return { ...reply, error: { ...reply.error, message: `${reply.error.message}; if it is only slow, raise ${key}` } };
    } finally {
      lease.release();
    }
  };
}
