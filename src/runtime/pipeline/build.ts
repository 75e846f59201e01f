// The call pipeline of one run, in one place. A call to an upstream operation goes through:
//   observe (flags) -> restore PII tokens -> validate arguments -> policy / confirm
//   -> per-run slot -> per-upstream slot (limits shared by all sessions) -> result size check
//   -> invoke (timeout, the upstream)
// and its answer comes back the same way (the PII step sees each successful result). The bridge
// (bridge.ts) registers every call in the run scope around the whole pipeline.
import type { ToolInvoker } from '../../common/index.js';
import type { PiiRun } from '../../privacy/index.js';
import type { RunFlags } from '../run-flags.js';
import { admitByPolicy, type Admission } from './admit-by-policy.js';
import { composeSteps, type NextStep } from './call-step.js';
import { checkResultSize } from './check-result-size.js';
import { invokeUpstream } from './invoke-upstream.js';
import { observeCall } from './observe-call.js';
import { restorePii } from './restore-pii.js';
import { runSlots } from './run-slots.js';
import { upstreamSlot } from './upstream-slot.js';
import type { UpstreamLimiter } from '../upstream-limiter.js';
import { validateArguments } from './validate-arguments.js';

export interface CallLimits {
  readonly toolCallTimeoutMs: number;
  /** Calls of one run in flight at once; the rest wait their turn. */
  readonly maxConcurrentCalls: number;
  /** JSON bytes of one tool result the program may receive; larger is a ToolError. */
  readonly maxToolResultBytes: number;
}

export interface PipelineParts {
  readonly invoker: ToolInvoker;
  readonly limits: CallLimits;
  /** The run scope's signal: aborted when the run ends. */
  readonly signal: AbortSignal;
  readonly flags: RunFlags;
  readonly admission: Admission;
  /** The session's PII map for this run; absent: nothing is restored or observed. */
  readonly pii?: PiiRun | undefined;
  /** The process-wide per-upstream limits; absent: no upstream is limited beyond the run's own cap. */
  readonly upstreamLimiter?: UpstreamLimiter | undefined;
}

export function buildCallPipeline(parts: PipelineParts): NextStep {
  const { limits, signal } = parts;
  return composeSteps([
    observeCall(parts.flags),
    ...(parts.pii ? [restorePii(parts.pii)] : []),
    validateArguments(),
    admitByPolicy(parts.admission),
    runSlots(limits.maxConcurrentCalls, signal),
    ...(parts.upstreamLimiter ? [upstreamSlot(parts.upstreamLimiter, signal, limits.toolCallTimeoutMs)] : []),
    checkResultSize(limits.maxToolResultBytes),
  ], invokeUpstream(parts.invoker, limits.toolCallTimeoutMs, signal));
}
