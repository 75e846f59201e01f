// The sandbox's `state`: get/set/delete/keys of JSON values kept in this MCP session's records
// (session-state.ts holds the rules and bounds). Its functions take positional arguments
// (`state.set(key, value)`), so the guest sends them as a JSON array. A run without a session has none.
import { describeError, isCemcpError } from '../../common/index.js';
import { failure, runEnded } from '../pipeline/index.js';
import { SessionState, type StateLimits } from '../session-state.js';
import type { HostNamespace } from './host-namespace.js';

export const STATE_NAMESPACE = 'state';

/** The TypeScript declaration the type-checker and `cemcp types` show (`delete` is a method, not a function name). */
export const STATE_DECLARATION = `/** JSON values kept across execute calls of this MCP session (bounded). */
declare const state: {
  /** The value stored under key, or null when there is none. */
  get(key: string): Promise<any>;
  /** Stores a JSON value under key, replacing any value there. */
  set(key: string, value: unknown): Promise<null>;
  /** Removes key; true when it was there. */
  delete(key: string): Promise<boolean>;
  /** This session's keys, oldest first. */
  keys(): Promise<string[]>;
};`;

export function stateNamespace(limits: StateLimits): HostNamespace {
  return {
    name: STATE_NAMESPACE,
    functions: ['get', 'set', 'delete', 'keys'],
    form: 'positional',
    declaration: STATE_DECLARATION,
    async call(fn, argsJson, call) {
      const label = `${STATE_NAMESPACE}.${fn}`;
      const args = parseArgs(argsJson);
      if (!args) return failure('ARGUMENT_INVALID', `${label}: the arguments are not JSON`);
      const records = call.records?.session;
      if (!records) return failure('NO_SESSION', `${label}: this run has no MCP session, so it has no state (a one-off run keeps nothing)`);
      const state = new SessionState(records, limits);
      const work = call.open.send(() => run(state, fn, args));
      if (!work) return runEnded(label);
      try {
        return { ok: true, json: JSON.stringify((await work) ?? null) };
      } catch (error) {
        return isCemcpError(error) ? failure(error.code, error.message) : failure('SESSION_STORE', `${label}: the session store failed: ${describeError(error)}`);
      }
    },
  };
}

function run(state: SessionState, fn: string, args: readonly unknown[]): Promise<unknown> {
  switch (fn) {
    case 'get': return state.get(args[0]);
    case 'set': return state.set(args[0], args[1]);
    case 'delete': return state.delete(args[0]);
    default: return state.keys();
  }
}

/** The guest sends positional arguments as a JSON array. */
export function parseArgs(argsJson: string): unknown[] | undefined {
  try {
    const args: unknown = JSON.parse(argsJson);
    return Array.isArray(args) ? args : undefined;
  } catch {
    return undefined;
  }
}

