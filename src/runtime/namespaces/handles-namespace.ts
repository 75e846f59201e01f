// The sandbox's `handles`: `handles.get(id)` answers the whole value of an earlier execute of this
// MCP session whose answer was cut to a preview naming that id (result-handles.ts keeps them).
// The stored text crosses as is: the guest parses exactly what the program returned then.
import { describeError, isCemcpError } from '../../common/index.js';
import { failure, runEnded } from '../pipeline/index.js';
import { readHandle, type HandleLimits } from '../result-handles.js';
import type { HostNamespace } from './host-namespace.js';
import { parseArgs } from './state-namespace.js';

export const HANDLES_NAMESPACE = 'handles';

export const HANDLES_DECLARATION = `/** Whole values of earlier execute results of this MCP session that were cut to a preview. */
declare const handles: {
  /** The whole value of the result whose answer named this handle id. */
  get(id: string): Promise<any>;
};`;

export function handlesNamespace(limits: HandleLimits): HostNamespace {
  return {
    name: HANDLES_NAMESPACE,
    functions: ['get'],
    form: 'positional',
    declaration: HANDLES_DECLARATION,
    async call(_fn, argsJson, call) {
      const id = parseArgs(argsJson)?.[0];
      if (typeof id !== 'string') return failure('ARGUMENT_INVALID', 'handles.get: expects the handle id string an earlier answer named, e.g. handles.get("h_…")');
      const records = call.records?.session;
      if (!records) return failure('NO_SESSION', 'handles.get: this run has no MCP session, so it has no handles (a one-off run keeps nothing)');
      const work = call.open.send(() => readHandle(records, id, limits));
      if (!work) return runEnded('handles.get');
      try {
        return { ok: true, json: await work };
      } catch (error) {
        return isCemcpError(error) ? failure(error.code, error.message) : failure('SESSION_STORE', `handles.get: the session store failed: ${describeError(error)}`);
      }
    },
  };
}
