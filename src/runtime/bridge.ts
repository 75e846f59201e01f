// The host side of guest tool calls: looks the operation up, enforces the per-run call limit,
// validates arguments against the tool's schema, calls the upstream through a ToolInvoker with a
// timeout and the run scope's signal, and answers with normalized JSON or a guest-visible error.
// Never rejects. Every call is registered in the run's scope (run-scope.ts), which records its fate.
import type { PolicyDecision } from '../audit/index.js';
import { describeError, isCemcpError } from '../common/index.js';
import type { Catalog } from '../catalog/index.js';
import type { BridgeReply, GuestVisibleError, HostBridge } from '../sandbox/index.js';
import type { Egress, EgressRequest } from './egress.js';
import { FETCH_NAMESPACE } from './fetch-shim.js';
import { RUN_ENDED, type RunScope, type ToolCallRecord } from './run-scope.js';
import { errorText, normalizeToolResult, type ToolCallResult } from './tool-result.js';
import { checkArguments } from './validate-args.js';

/** How the runtime reaches upstreams; the composition root wires it to the upstream pool. */
export interface ToolInvoker {
  callTool(
    server: string,
    toolName: string,
    args: Record<string, unknown>,
    options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
  ): Promise<ToolCallResult>;
}

export interface BridgeLimits {
  readonly maxToolCalls: number;
  readonly toolCallTimeoutMs: number;
  /** Calls in flight at once; the rest wait their turn. */
  readonly maxConcurrentCalls: number;
  /** JSON bytes of one tool result the program may receive; larger is a ToolError. */
  readonly maxToolResultBytes: number;
}

/** The operation a call is about to reach, as the policy and the flags see it. */
export interface CallAdmission {
  readonly server: string;
  readonly tool: string;
  /** `namespace.name`, as the program wrote the call. */
  readonly callName: string;
  readonly destructive: boolean;
}

/** Optional steps around each tool call (privacy, policy, audit: see oversight.ts). */
export interface BridgeHooks {
  /** Before validation: the arguments as the upstream should see them (PII tokens restored). */
  readonly prepareArguments?: (server: string, args: Record<string, unknown>) => Record<string, unknown>;
  /** Before the call: undefined to go ahead, or the refusal the program receives as a ToolError. */
  readonly admit?: (target: CallAdmission, decided?: PolicyDecision) => Promise<GuestVisibleError | undefined>;
  /** After a successful call, with the JSON the program receives. */
  readonly onResult?: (server: string, json: string) => void;
  /** After every call's fate is known, with its record (telemetry: see telemetry.ts); execute.ts hands it to the scope. */
  readonly onCall?: (record: ToolCallRecord) => void;
  /** Before a guest fetch reaches the egress: undefined to go ahead, or the refusal (policy `fetch` rules). */
  readonly admitFetch?: (url: string) => Promise<GuestVisibleError | undefined>;
}

const MAX_ERROR_CHARS = 2_000;

/**
 * The run's bridge. Every call is registered in `scope` (see run-scope.ts) and every invoker gets
 * `scope.signal`; once the scope is closed, no call goes further than the count of refusals.
 */
export function createBridge(
  catalog: Catalog,
  invoker: ToolInvoker,
  limits: BridgeLimits,
  scope: RunScope,
  egress?: Egress,
  hooks: BridgeHooks = {},
): HostBridge {
  const slots = createSlots(limits.maxConcurrentCalls);
  let started = 0;
  const signal = scope.signal;

  return {
    async call(namespace, fn, argsJson) {
      const callName = `${namespace}.${fn}`;
      if (scope.isClosed) {
        scope.count(RUN_ENDED);
        return { ok: false, error: { code: RUN_ENDED, message: `${callName}: the run has ended` } };
      }
      const isFetch = namespace === FETCH_NAMESPACE && egress !== undefined;
      const op = isFetch ? undefined : catalog.find(namespace, fn);
      if (!isFetch && !op) {
        scope.count('OPERATION_UNKNOWN');
        return fail('OPERATION_UNKNOWN', `${callName} is not an operation of this gateway`);
      }
      if (++started > limits.maxToolCalls) {
        scope.count('LIMIT_TOOL_CALLS');
        return callLimitReply(limits);
      }
      const open = scope.begin(callName, op?.server ?? namespace, op?.toolName ?? fn, argsJson.length);
      const done = (reply: BridgeReply): BridgeReply => open.finish(reply, reply.ok ? reply.json.length : 0);
      if (isFetch) {
        const refusal = await hooks.admitFetch?.(fetchUrlOf(argsJson));
        if (refusal) return done({ ok: false, error: refusal });
        const work = open.send(() => fetchReply(egress, argsJson, signal));
        return done(work ? await work : ended(callName));
      }
      const target = op!;
      let args: unknown;
      try {
        args = JSON.parse(argsJson);
      } catch {
        return done(fail('ARGUMENT_INVALID', `${callName}: arguments are not JSON`));
      }
      if (typeof args !== 'object' || args === null || Array.isArray(args)) {
        return done(fail('ARGUMENT_INVALID', `${callName}: expects one object argument, e.g. ${callName}({ ... })`));
      }
      if (hooks.prepareArguments) args = hooks.prepareArguments(target.server, args as Record<string, unknown>);
      const problem = checkArguments(target.inputSchema, args);
      if (problem) return done(fail('ARGUMENT_INVALID', `${callName}: ${problem}`));
      const refusal = await hooks.admit?.({ server: target.server, tool: target.toolName, callName: target.callName, destructive: target.annotations?.destructiveHint === true });
      if (refusal) return done({ ok: false, error: refusal });
      if (!(await slots.acquire(signal))) return done(ended(callName));
      try {
        const work = open.send(() => invoker.callTool(target.server, target.toolName, args as Record<string, unknown>, { timeoutMs: limits.toolCallTimeoutMs, signal }));
        if (!work) return done(ended(callName));
        const result = await work;
        if (result.isError) {
          return done(fail('TOOL_ERROR', `${callName}: ${errorText(result, MAX_ERROR_CHARS)}`, { content: result.content ?? [] }));
        }
        const json = JSON.stringify(normalizeToolResult(result) ?? null);
        if (Buffer.byteLength(json) > limits.maxToolResultBytes) {
          return done(fail('LIMIT_RESULT_SIZE', `${callName}: the result is over the limit of ${limits.maxToolResultBytes} bytes; ask for less (filters, pagination)`));
        }
        if (!scope.isClosed) hooks.onResult?.(target.server, json);
        return done({ ok: true, json });
      } catch (error) {
        const code = isCemcpError(error) ? error.code : 'UPSTREAM_UNAVAILABLE';
        return done(fail(code, isCemcpError(error) ? error.message : `${callName}: ${describeError(error)}`));
      } finally {
        slots.release();
      }
    },
  };
}

function ended(callName: string): BridgeReply {
  return fail(RUN_ENDED, `${callName}: the run has ended`);
}

/** The URL a guest fetch asks for, for the policy (the egress checks the request itself). */
function fetchUrlOf(argsJson: string): string {
  try {
    const request = JSON.parse(argsJson) as { url?: unknown };
    return typeof request?.url === 'string' ? request.url : '';
  } catch {
    return '';
  }
}

function callLimitReply(limits: BridgeLimits): BridgeReply {
  return { ok: false, fatal: true, error: { code: 'LIMIT_TOOL_CALLS', message: `tool call limit reached: at most ${limits.maxToolCalls} calls per run` } };
}

/** A guest `fetch`: the shim sends { url, method, headers, body }; the egress policy decides. */
async function fetchReply(egress: Egress, argsJson: string, signal: AbortSignal | undefined): Promise<BridgeReply> {
  let request: EgressRequest;
  try {
    request = JSON.parse(argsJson) as EgressRequest;
  } catch {
    return fail('ARGUMENT_INVALID', 'fetch: the request is not JSON');
  }
  if (typeof request?.url !== 'string') return fail('ARGUMENT_INVALID', 'fetch: expects a URL string');
  try {
    return { ok: true, json: JSON.stringify(await egress.request(request, signal)) };
  } catch (error) {
    return fail(isCemcpError(error) ? error.code : 'EGRESS_FAILED', isCemcpError(error) ? error.message : `fetch failed: ${describeError(error)}`);
  }
}

function fail(code: string, message: string, data?: unknown): BridgeReply {
  return { ok: false, error: { code, message, ...(data === undefined ? {} : { data }) } };
}

/** A counting semaphore: at most `size` holders at once, the rest queue in order; false once `signal` aborts. */
function createSlots(size: number): { acquire(signal: AbortSignal): Promise<boolean>; release(): void } {
  let free = size;
  const waiting: ((granted: boolean) => void)[] = [];
  return {
    acquire(signal) {
      if (signal.aborted) return Promise.resolve(false);
      if (free > 0) {
        free--;
        return Promise.resolve(true);
      }
      return new Promise((resolve) => {
        const onAbort = () => {
          const at = waiting.indexOf(grant);
          if (at !== -1) waiting.splice(at, 1);
          resolve(false);
        };
        const grant = (granted: boolean) => {
          signal.removeEventListener('abort', onAbort);
          resolve(granted);
        };
        waiting.push(grant);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    release() {
      const next = waiting.shift();
      if (next) next(true);
      else free++;
    },
  };
}
