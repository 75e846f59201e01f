// Step: raises the run's flags for what a call is about to reach (destructive or shell-like tools),
// whatever the later steps decide. Each call's fate, for the audit record and telemetry, is kept by
// the run scope (run-scope.ts), which the bridge opens around the whole pipeline.
import { flagCall } from '../../audit/index.js';
import type { RunFlags } from '../run-flags.js';
import type { CallStep } from './call-step.js';

export function observeCall(flags: RunFlags): CallStep {
  return (call, next) => {
    flagCall(call.target).forEach((flag) => flags.add(flag));
    return next(call);
  };
}
