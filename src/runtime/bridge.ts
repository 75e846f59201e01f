// The host side of guest calls: finds what a call names (a host namespace such as `fetch`, or an
// upstream operation in the catalog), enforces the per-run call limit, registers the call in the
// run's scope (run-scope.ts) and hands it on: upstream operations go through the call pipeline
// (pipeline/build.ts), host namespaces answer themselves. Never rejects.
import type { Catalog } from '../catalog/index.js';
import type { BridgeReply, HostBridge } from '../sandbox/index.js';
import { toolCallLimitMessage } from './limit-messages.js';
import type { HostCall, HostNamespace } from './namespaces/index.js';
import { failure, runEnded, type NextStep } from './pipeline/index.js';
import { RUN_ENDED, type RunScope } from './run-scope.js';

export interface BridgeParts {
  readonly catalog: Catalog;
  /** Host namespaces by name. */
  readonly namespaces: ReadonlyMap<string, HostNamespace>;
  readonly scope: RunScope;
  /** Calls one run may start (cemcp.limits.maxToolCalls); past it the run ends. */
  readonly maxToolCalls: number;
  /** The run's call pipeline, for upstream operations. */
  readonly pipeline: NextStep;
  /** What a host namespace's call gets besides its arguments. */
  readonly host: Omit<HostCall, 'open'>;
}

export function createBridge(parts: BridgeParts): HostBridge {
  const { catalog, namespaces, scope } = parts;
  let started = 0;

  return {
    async call(namespace, fn, argsJson) {
      const callName = `${namespace}.${fn}`;
      if (scope.isClosed) {
        scope.count(RUN_ENDED);
        return runEnded(callName);
      }
      const host = namespaces.get(namespace);
      const operation = host ? undefined : catalog.find(namespace, fn);
      if (!(host ? host.functions.includes(fn) : operation)) {
        scope.count('OPERATION_UNKNOWN');
        return failure('OPERATION_UNKNOWN', `${callName} is not an operation of this gateway`);
      }
      if (!host?.uncounted?.includes(fn) && ++started > parts.maxToolCalls) {
        scope.count('LIMIT_TOOL_CALLS');
        return {
          ok: false, fatal: true,
          error: { code: 'LIMIT_TOOL_CALLS', message: toolCallLimitMessage(parts.maxToolCalls) },
        };
      }
      const open = scope.begin(callName, operation?.server ?? namespace, operation?.toolName ?? fn, argsJson.length);
      const done = (reply: BridgeReply): BridgeReply => open.finish(reply, reply.ok ? reply.json.length : 0);
      if (host) return done(await host.call(fn, argsJson, { ...parts.host, open }));

      const op = operation!;
      let args: unknown;
      try {
        args = JSON.parse(argsJson);
      } catch {
        return done(failure('ARGUMENT_INVALID', `${callName}: arguments are not JSON`));
      }
      if (typeof args !== 'object' || args === null || Array.isArray(args)) {
        return done(failure('ARGUMENT_INVALID', `${callName}: expects one object argument, e.g. ${callName}({ ... })`));
      }
      const target = { server: op.server, tool: op.toolName, callName: op.callName, destructive: op.annotations?.destructiveHint === true };
      return done(await parts.pipeline({ target, operation: op, args: args as Record<string, unknown>, open }));
    },
  };
}
