// The shape of the call pipeline: one pending call goes through steps, each a small async function
// that may answer at once (a refusal) or hand the call, possibly changed, to the next step. The
// last step reaches the upstream. The steps and their order are set in one place (build.ts).
import type { CallTarget } from '../../common/index.js';
import type { Operation } from '../../catalog/index.js';
import type { BridgeReply, GuestVisibleError } from '../../sandbox/index.js';
import { RUN_ENDED, type OpenCall } from '../run-scope.js';

/** One call on its way to an upstream. */
export interface PendingCall {
  readonly target: CallTarget;
  readonly operation: Operation;
  readonly args: Record<string, unknown>;
  /** The run scope's record of this call; `open.send` starts the upstream part (run-scope.ts). */
  readonly open: OpenCall;
  /** The call's timeout when a step set a smaller one than the run's (an upstream's callTimeoutMs). */
  readonly timeoutMs?: number;
}

export type NextStep = (call: PendingCall) => Promise<BridgeReply>;

/** A step of the pipeline: answer, or call `next`. Never rejects. */
export type CallStep = (call: PendingCall, next: NextStep) => Promise<BridgeReply>;

/** `steps` in order, ending in `last`. */
export function composeSteps(steps: readonly CallStep[], last: NextStep): NextStep {
  return steps.reduceRight<NextStep>((next, step) => (call) => step(call, next), last);
}

export function failure(code: string, message: string, data?: unknown): BridgeReply {
  return { ok: false, error: { code, message, ...(data === undefined ? {} : { data }) } };
}

export function refusal(error: GuestVisibleError): BridgeReply {
  return { ok: false, error };
}

/** What a call gets once its run has ended (the program no longer reads it; the scope records its fate). */
export function runEndedError(callName: string): GuestVisibleError {
  return { code: RUN_ENDED, message: `${callName}: the run has ended` };
}

export function runEnded(callName: string): BridgeReply {
  return refusal(runEndedError(callName));
}
