// Step: restores the session's PII tokens in the arguments before anything checks or sends them,
// and shows every successful result to the session's PII map (values a non-tokenizing server
// returned stay as they are, unless a tokenizing one returned them too: privacy/pii-session.ts).
import type { PiiRun } from '../../privacy/index.js';
import type { CallStep } from './call-step.js';

export function restorePii(pii: PiiRun): CallStep {
  return async (call, next) => {
    const server = call.target.server;
    const reply = await next({ ...call, args: pii.restoreArguments(server, call.args) });
    if (reply.ok) pii.observeResult(server, reply.json);
    return reply;
  };
}
