// The ToolInvoker decorator that puts the process-wide upstream limiter (upstream-limiter.ts) in
// front of every upstream call: waits for a lease (slot + token), applies the upstream's own call
// timeout, and releases in finally. Wired by cli/start-gateway.ts; the limiter stays usable alone.
import type { CallOutcome, ToolInvoker } from '../common/index.js';
import { LIMITS } from './limit-messages.js';
import { limitHint, type UpstreamLimiter } from './upstream-limiter.js';

/** `invoker` with every call admitted by `limiter`; a wait cut short by the signal answers LIMIT_UPSTREAM_BUSY. Never rejects. */
export function withUpstreamLimits(invoker: ToolInvoker, limiter: UpstreamLimiter): ToolInvoker {
  return {
    async callTool(server, toolName, args, options): Promise<CallOutcome> {
      const lease = await limiter.acquire(server, options.signal);
      const settings = limiter.settingsOf(server);
      if (!lease) {
        const wait = options.signal ? limiter.cutShort(options.signal).filter((w) => w.server === server).slice(-1) : [];
        return { ok: false, error: { code: 'LIMIT_UPSTREAM_BUSY', message: `upstream "${server}" tool "${toolName}": the run ended while the call waited for its turn (${limitHint(wait, settings)}, or make fewer calls at once)` } };
      }
      const own = settings?.callTimeoutMs;
      const ownBinds = own !== undefined && own < options.timeoutMs;
      try {
        const outcome = await invoker.callTool(server, toolName, args, ownBinds ? { ...options, timeoutMs: own } : options);
        // The upstream's own timeout was the one that ran out: name the key that raises it.
        if (ownBinds && !outcome.ok && outcome.error.code === 'UPSTREAM_TIMEOUT') {
          return { ok: false, error: { ...outcome.error, message: `${outcome.error.message}; if it is only slow, raise ${settings!.configPath}.callTimeoutMs (${own} ms)` } };
        }
        if (!outcome.ok && outcome.error.code === 'UPSTREAM_TIMEOUT') {
          return { ok: false, error: { ...outcome.error, message: `${outcome.error.message}; if it is only slow, raise ${LIMITS.toolCallTimeoutMs.configKey}` } };
        }
        return outcome;
      } finally {
        lease.release();
      }
    },
  };
}
