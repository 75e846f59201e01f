// The host side of guest tool calls: looks the operation up, enforces the per-run call limit,
// validates arguments against the tool's schema, calls the upstream through a ToolInvoker with a
// timeout, and answers with normalized JSON or a guest-visible error. Never rejects.
import { describeError, isCemcpError } from '../common/index.js';
import type { AuditCall } from '../audit/index.js';
import type { Catalog } from '../catalog/index.js';
import type { BridgeReply, GuestVisibleError, HostBridge } from '../sandbox/index.js';
import type { Egress, EgressRequest } from './egress.js';
import { FETCH_NAMESPACE } from './fetch-shim.js';
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
  readonly admit?: (target: CallAdmission) => Promise<GuestVisibleError | undefined>;
  /** After a successful call, with the JSON the program receives. */
  readonly onResult?: (server: string, json: string) => void;
  /** After every call, successful or not, with its record (telemetry: see telemetry.ts). */
  readonly onCall?: (record: ToolCallRecord) => void;
}

/** An audit call (server = config key, tool = its own name; namespace and function when unknown) and its call form. */
export interface ToolCallRecord extends AuditCall {
  readonly call: string;
}

const MAX_ERROR_CHARS = 2_000;

export function createBridge(
  catalog: Catalog,
  invoker: ToolInvoker,
  limits: BridgeLimits,
  signal?: AbortSignal,
  egress?: Egress,
  hooks: BridgeHooks = {},
): { bridge: HostBridge; calls: ToolCallRecord[] } {
  const calls: ToolCallRecord[] = [];
  const slots = createSlots(limits.maxConcurrentCalls);
  let started = 0;

  const bridge: HostBridge = {
    async call(namespace, fn, argsJson) {
      const startedAt = performance.now();
      const callName = `${namespace}.${fn}`;
      const finish = (reply: BridgeReply): BridgeReply => {
        const known = catalog.find(namespace, fn);
        const record: ToolCallRecord = {
          call: callName,
          server: known?.server ?? namespace,
          tool: known?.toolName ?? fn,
          ok: reply.ok,
          ...(reply.ok ? {} : { errorCode: reply.error.code }),
          durationMs: performance.now() - startedAt,
          argumentBytes: argsJson.length,
          resultBytes: reply.ok ? reply.json.length : 0,
        };
        calls.push(record);
        hooks.onCall?.(record);
        return reply;
      };
      if (namespace === FETCH_NAMESPACE && egress) {
        if (++started > limits.maxToolCalls) return finish(callLimitReply(limits));
        return finish(await fetchReply(egress, argsJson, signal));
      }
      const op = catalog.find(namespace, fn);
      if (!op) return finish(fail('OPERATION_UNKNOWN', `${callName} is not an operation of this gateway`));
      if (++started > limits.maxToolCalls) {
        return finish(callLimitReply(limits));
      }
      let args: unknown;
      try {
        args = JSON.parse(argsJson);
      } catch {
        return finish(fail('ARGUMENT_INVALID', `${callName}: arguments are not JSON`));
      }
      if (typeof args !== 'object' || args === null || Array.isArray(args)) {
        return finish(fail('ARGUMENT_INVALID', `${callName}: expects one object argument, e.g. ${callName}({ ... })`));
      }
      if (hooks.prepareArguments) args = hooks.prepareArguments(op.server, args as Record<string, unknown>);
      const problem = checkArguments(op.inputSchema, args);
      if (problem) return finish(fail('ARGUMENT_INVALID', `${callName}: ${problem}`));
      const refusal = await hooks.admit?.({ server: op.server, tool: op.toolName, callName: op.callName, destructive: op.annotations?.destructiveHint === true });
      if (refusal) return finish({ ok: false, error: refusal });
      await slots.acquire();
      try {
        const result = await invoker.callTool(op.server, op.toolName, args as Record<string, unknown>, {
          timeoutMs: limits.toolCallTimeoutMs,
          ...(signal ? { signal } : {}),
        });
        if (result.isError) {
          return finish(fail('TOOL_ERROR', `${callName}: ${errorText(result, MAX_ERROR_CHARS)}`, { content: result.content ?? [] }));
        }
        const json = JSON.stringify(normalizeToolResult(result) ?? null);
        if (Buffer.byteLength(json) > limits.maxToolResultBytes) {
          return finish(fail('LIMIT_RESULT_SIZE', `${callName}: the result is over the limit of ${limits.maxToolResultBytes} bytes; ask for less (filters, pagination)`));
        }
        hooks.onResult?.(op.server, json);
        return finish({ ok: true, json });
      } catch (error) {
        const code = isCemcpError(error) ? error.code : 'UPSTREAM_UNAVAILABLE';
        return finish(fail(code, isCemcpError(error) ? error.message : `${callName}: ${describeError(error)}`));
      } finally {
        slots.release();
      }
    },
  };
  return { bridge, calls };
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

/** A counting semaphore: at most `size` holders at once, the rest queue in order. */
function createSlots(size: number): { acquire(): Promise<void>; release(): void } {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    acquire() {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}
