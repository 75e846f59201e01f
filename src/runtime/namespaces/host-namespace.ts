// A host namespace: a global of the sandbox that the gateway itself answers, not an upstream
// (`fetch` today; `state`, `skills`, `handles` next). Each declares its functions as data; the
// engine renders them into the guest (an object of async functions, or another GuestForm), and the
// bridge routes the guest's calls to `call`. An upstream can never take a host namespace's name:
// the catalog gives that upstream the name with `_` appended (catalog/catalog.ts).
import type { Policy } from '../../audit/index.js';
import type { BridgeReply, GuestForm } from '../../sandbox/index.js';
import type { Admission } from '../pipeline/index.js';
import type { OpenCall } from '../run-scope.js';

export interface HostCall {
  /** The run scope's record of this call; `open.send` starts the part that leaves the gateway. */
  readonly open: OpenCall;
  /** Aborted when the run ends. */
  readonly signal: AbortSignal;
  readonly admission: Admission;
  readonly policy?: Policy | undefined;
}

export interface HostNamespace {
  /** The sandbox global, e.g. `fetch`. */
  readonly name: string;
  readonly functions: readonly string[];
  /** How the engine renders it; absent: an object of async functions. */
  readonly form?: GuestForm;
  /** One guest call of `fn` with its JSON argument text. Never rejects. */
  call(fn: string, argsJson: string, call: HostCall): Promise<BridgeReply>;
}
