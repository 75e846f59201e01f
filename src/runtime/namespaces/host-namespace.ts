// A host namespace: a global of the sandbox that the gateway itself answers, not an upstream
// (`fetch`, `state`, `skills`, `handles`). Each declares its functions (and their TypeScript
// declaration) as data; the engine renders them into the guest (an object of async functions, or
// another GuestForm), and the bridge routes the guest's calls to `call`. An upstream can never
// take a host namespace's name: the catalog gives that upstream the name with `_` appended.
import type { Policy } from '../../audit/index.js';
import type { RunRecords } from '../../common/index.js';
import type { BridgeReply, CodePosition, GuestForm, GuestLibrary } from '../../sandbox/index.js';
import type { Admission } from '../pipeline/index.js';
import type { OpenCall } from '../run-scope.js';

export interface HostCall {
  /** The run scope's record of this call; `open.send` starts the part that leaves the gateway. */
  readonly open: OpenCall;
  /** Aborted when the run ends. */
  readonly signal: AbortSignal;
  readonly admission: Admission;
  readonly policy?: Policy | undefined;
  /** The session's and the gateway's records; absent when the run has no store behind it. */
  readonly records?: RunRecords | undefined;
}

export interface HostNamespace {
  /** The sandbox global, e.g. `fetch`. */
  readonly name: string;
  readonly functions: readonly string[];
  /** How the engine renders it; absent: an object of async functions. */
  readonly form?: GuestForm;
  /**
   * Its TypeScript declaration as a program sees it (`declare const state: { get(key: string): Promise<unknown>; ... }`),
   * for the type-checker and `cemcp types`; absent: the checker treats the global as `any`.
   */
  readonly declaration?: string;
  /** Functions whose calls do not count toward the run's maxToolCalls (a skill's gate: the calls a skill makes do). */
  readonly uncounted?: readonly string[];
  /** Before each run, with the program's source: the functions in guest JavaScript the run installs (form `library`). */
  prepareRun?(program: string): Promise<RunLibrary>;
  /** One guest call of `fn` with its JSON argument text. Never rejects. */
  call(fn: string, argsJson: string, call: HostCall): Promise<BridgeReply>;
}

/** A library namespace's part of one run (saved skills). */
export interface RunLibrary {
  readonly library: GuestLibrary;
  /** Every name a program may call on the namespace, for did-you-mean. */
  readonly names: readonly string[];
  /** Where a failure inside library function `name` lies in its own source, for the error text. */
  locate(name: string, position: CodePosition): { readonly line: number; readonly column: number; readonly source: string } | undefined;
}
