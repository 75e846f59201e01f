// Step: checks the arguments against the operation's input schema (validate-args.ts), so a wrong
// call fails in the gateway with the field named, never at the upstream.
import { checkArguments } from '../validate-args.js';
import { failure, type CallStep } from './call-step.js';

export function validateArguments(): CallStep {
  return (call, next) => {
    const problem = checkArguments(call.operation.inputSchema, call.args);
    return problem ? Promise.resolve(failure('ARGUMENT_INVALID', `${call.target.callName}: ${problem}`)) : next(call);
  };
}
