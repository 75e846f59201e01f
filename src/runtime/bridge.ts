// The host side of guest tool calls: looks the operation up, enforces the per-run call limit,
// validates arguments against the tool's schema, calls the upstream through a ToolInvoker with a
// timeout, and answers with normalized JSON or a guest-visible error. Never rejects.
import { describeError, isCemcpError } from '../common/index.js';
import type { Catalog } from '../catalog/index.js';
import type { BridgeReply, HostBridge } from '../sandbox/index.js';
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
}

export interface ToolCallRecord {
  readonly call: string;
  readonly ok: boolean;
  readonly errorCode?: string;
  readonly durationMs: number;
  readonly argumentBytes: number;
  readonly resultBytes: number;
}

const MAX_ERROR_CHARS = 2_000;

export function createBridge(
  catalog: Catalog,
  invoker: ToolInvoker,
  limits: BridgeLimits,
  signal?: AbortSignal,
): { bridge: HostBridge; calls: ToolCallRecord[] } {
  const calls: ToolCallRecord[] = [];
  let started = 0;

  const bridge: HostBridge = {
    async call(namespace, fn, argsJson) {
      const startedAt = performance.now();
      const callName = `${namespace}.${fn}`;
      const finish = (reply: BridgeReply): BridgeReply => {
        calls.push({
          call: callName,
          ok: reply.ok,
          ...(reply.ok ? {} : { errorCode: reply.error.code }),
          durationMs: performance.now() - startedAt,
          argumentBytes: argsJson.length,
          resultBytes: reply.ok ? reply.json.length : 0,
        });
        return reply;
      };
      const op = catalog.find(namespace, fn);
      if (!op) return finish(fail('OPERATION_UNKNOWN', `${callName} is not an operation of this gateway`));
      if (++started > limits.maxToolCalls) {
        return finish({ ok: false, fatal: true, error: { code: 'LIMIT_TOOL_CALLS', message: `tool call limit reached: at most ${limits.maxToolCalls} calls per run` } });
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
      const problem = checkArguments(op.inputSchema, args);
      if (problem) return finish(fail('ARGUMENT_INVALID', `${callName}: ${problem}`));
      try {
        const result = await invoker.callTool(op.server, op.toolName, args as Record<string, unknown>, {
          timeoutMs: limits.toolCallTimeoutMs,
          ...(signal ? { signal } : {}),
        });
        if (result.isError) {
          return finish(fail('TOOL_ERROR', `${callName}: ${errorText(result, MAX_ERROR_CHARS)}`, { content: result.content ?? [] }));
        }
        return finish({ ok: true, json: JSON.stringify(normalizeToolResult(result) ?? null) });
      } catch (error) {
        const code = isCemcpError(error) ? error.code : 'UPSTREAM_UNAVAILABLE';
        return finish(fail(code, isCemcpError(error) ? error.message : `${callName}: ${describeError(error)}`));
      }
    },
  };
  return { bridge, calls };
}

function fail(code: string, message: string, data?: unknown): BridgeReply {
  return { ok: false, error: { code, message, ...(data === undefined ? {} : { data }) } };
}
