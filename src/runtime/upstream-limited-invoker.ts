// The ToolInvoker decorator that puts the process-wide upstream limiter (upstream-limiter.ts) in
// front of every upstream call: waits for a lease (slot + token), applies the upstream's own call
// timeout, and releases in finally. Wired by cli/start-gateway.ts; the limiter stays usable alone.
import { CemcpError, isCemcpError, UpstreamError } from '../common/index.js';
import type { ToolInvoker } from './bridge.js';
import { limitHint, type UpstreamLimiter } from './upstream-limiter.js';

/** `invoker` with every call admitted by `limiter`; a wait cut short by the signal throws LIMIT_UPSTREAM_BUSY. */
export function withUpstreamLimits(invoker: ToolInvoker, limiter: UpstreamLimiter): ToolInvoker {
  return {
    async callTool(server, toolName, args, options) {
      const lease = await limiter.acquire(server, options.signal);
      const settings = limiter.settingsOf(server);
      if (!lease) {
        const wait = options.signal ? limiter.cutShort(options.signal).filter((w) => w.server === server).slice(-1) : [];
        throw new CemcpError('LIMIT_UPSTREAM_BUSY', `upstream "${server}" tool "${toolName}": the run ended while the call waited for its turn (${limitHint(wait, settings)}, or make fewer calls at once)`, { upstream: server });
      }
      const own = settings?.callTimeoutMs;
      const timeoutMs = own !== undefined && own < options.timeoutMs ? own : options.timeoutMs;
      try {
        return await invoker.callTool(server, toolName, args, { ...options, timeoutMs });
      } catch (error) {
        // The upstream's own timeout was the one that ran out: name the key that raises it.
        if (settings && timeoutMs === own && own !== options.timeoutMs && isCemcpError(error) && error.code === 'UPSTREAM_TIMEOUT') {
          throw new UpstreamError('UPSTREAM_TIMEOUT', `${error.message}; if it is only slow, raise ${settings.configPath}.callTimeoutMs (${own} ms)`, { ...error.details }, { cause: error });
        }
        throw error;
      } finally {
        lease.release();
      }
    },
  };
}
