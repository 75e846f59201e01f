// Step: the tool policy (cemcp.policy) admits, refuses or asks the person at the client to confirm
// each call (MCP elicitation). One answer per operation per run: a loop over a confirmed tool asks
// once. A refusal is a POLICY_DENIED ToolError and a flag. The sandbox's fetch is admitted by the
// same Admission, with the policy's fetch rules (namespaces/fetch-namespace.ts).
import type { CallTarget } from '../../common/index.js';
import type { Policy, PolicyDecision } from '../../audit/index.js';
import type { GuestVisibleError } from '../../sandbox/index.js';
import type { RunFlags } from '../run-flags.js';
import { refusal, runEndedError, type CallStep } from './call-step.js';

export interface ConfirmRequest extends CallTarget {
  /** The policy rule asking for confirmation. */
  readonly rule: string;
  /** Aborted when the run ends (any way): a question still open then is moot and may be withdrawn. */
  readonly signal?: AbortSignal;
}

/** Asks the person at the client to allow a call; absent when the client cannot be asked. */
export type Confirm = (request: ConfirmRequest) => Promise<boolean>;

export interface Admission {
  /** Undefined to go ahead, or the refusal the program receives; `decided` skips the policy's own decision. */
  admit(target: CallTarget, decided?: PolicyDecision): Promise<GuestVisibleError | undefined>;
}

export interface AdmissionOptions {
  readonly policy?: Policy | undefined;
  readonly confirm?: Confirm | undefined;
  readonly flags: RunFlags;
  /** The run's scope signal: a confirmation still open when the run ends is withdrawn. */
  readonly signal: AbortSignal;
}

export function createAdmission(options: AdmissionOptions): Admission {
  const answers = new Map<string, Promise<boolean>>();
  const refuse = (target: CallTarget, message: string): GuestVisibleError => {
    const call = `${target.server}.${target.tool}`;
    options.flags.add({ kind: 'policy', message: `refused ${call}: ${message}`, call });
    return { code: 'POLICY_DENIED', message: `${target.callName}: ${message}` };
  };
  return {
    async admit(target, decided) {
      const decision = decided ?? options.policy?.decide(target);
      if (!decision || decision.action === 'allow') return undefined;
      if (decision.action === 'deny') return refuse(target, `denied by policy rule ${decision.rule}`);
      const confirm = options.confirm;
      if (!confirm) return refuse(target, `policy rule ${decision.rule} needs the user's confirmation, and this client cannot be asked (no elicitation support)`);
      let answer = answers.get(target.callName);
      if (!answer) {
        answer = confirm({ ...target, rule: decision.rule, signal: options.signal }).catch(() => false);
        answers.set(target.callName, answer);
      }
      const allowed = await answer;
      // The run ended while the question was open: the call is dropped, and nobody declined it.
      if (options.signal.aborted) return runEndedError(target.callName);
      return allowed ? undefined : refuse(target, `the user did not confirm this call (policy rule ${decision.rule})`);
    },
  };
}

export function admitByPolicy(admission: Admission): CallStep {
  return async (call, next) => {
    const refused = await admission.admit(call.target);
    return refused ? refusal(refused) : next(call);
  };
}
