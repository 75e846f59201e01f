// Step: a tool result larger than cemcp.limits.maxToolResultBytes never reaches the program; the
// program gets a ToolError saying how to ask for less, and which key raises the limit.
import { toolResultLimitMessage } from '../limit-messages.js';
import { failure, type CallStep } from './call-step.js';

export function checkResultSize(maxBytes: number): CallStep {
  return async (call, next) => {
    const reply = await next(call);
    // A UTF-16 unit is at most 3 UTF-8 bytes: only a long text needs counting.
    if (reply.ok && reply.json.length * 3 > maxBytes && Buffer.byteLength(reply.json) > maxBytes) {
      return failure('LIMIT_RESULT_SIZE', toolResultLimitMessage(call.target.callName, maxBytes));
    }
    return reply;
  };
}
