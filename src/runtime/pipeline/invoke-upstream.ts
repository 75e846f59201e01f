// The last step: hands the call to the upstream through the ToolInvoker, with the call timeout and
// the run scope's signal, and turns the neutral outcome into the JSON the program receives. Once
// the run has ended, nothing is sent (run-scope.ts).
import { describeError, type CallOutcome, type ToolInvoker } from '../../common/index.js';
import type { BridgeReply } from '../../sandbox/index.js';
import { failure, runEnded, type NextStep } from './call-step.js';

export function invokeUpstream(invoker: ToolInvoker, timeoutMs: number, signal: AbortSignal): NextStep {
  return async (call): Promise<BridgeReply> => {
    const { target, args } = call;
    const work = call.open.send(() => invoker.callTool(target.server, target.tool, args, { timeoutMs: call.timeoutMs ?? timeoutMs, signal }));
    if (!work) return runEnded(target.callName);
    // Invokers never reject; one that does anyway is an unavailable upstream, not a broken run.
    const outcome: CallOutcome = await work.catch((error: unknown) => ({ ok: false, error: { code: 'UPSTREAM_UNAVAILABLE', message: describeError(error) } }));
    if (!outcome.ok) return failure(outcome.error.code, `${target.callName}: ${outcome.error.message}`, outcome.error.data);
    if ('text' in outcome) return { ok: true, json: outcome.text, orText: true };
    try {
      return { ok: true, json: JSON.stringify(outcome.value ?? null) };
    } catch (error) {
      // A value nested past the host's stack, say: the upstream's answer, not the gateway's fault.
      return failure('UPSTREAM_PROTOCOL', `${target.callName}: the result cannot be passed to the program (${describeError(error)})`);
    }
  };
}
