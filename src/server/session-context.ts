// The execute context of one MCP session's request: the session id and PII map, the client's
// identity, confirmation of policy-gated calls through MCP elicitation (when the client has it),
// and flags sent as MCP logging notifications. Imported by mcp-server.ts only.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ConfirmRequest, ExecuteContext } from '../runtime/index.js';
import type { GatewaySession } from './gateway-service.js';
import { sendClientLog } from './live-output.js';

const AUDIT_LOGGER = 'cemcp.audit';

export function createRequestContext(server: Server, session: GatewaySession, mcpSessionId: string | undefined, signal: AbortSignal): ExecuteContext {
  const client = server.getClientVersion();
  const elicitation = server.getClientCapabilities()?.elicitation;
  const canConfirm = elicitation !== undefined && (elicitation.form !== undefined || elicitation.url === undefined);
  return {
    ...session.context,
    session: {
      id: session.id,
      transport: mcpSessionId ? 'http' : session.session.transport,
      ...(client ? { client: { name: client.name, version: client.version } } : {}),
      ...(session.context.session?.principal ? { principal: session.context.session.principal } : {}),
    },
    ...(canConfirm ? { confirm: (request: ConfirmRequest) => confirmCall(server, request, signal) } : {}),
    onFlags(flags, auditId) {
      for (const flag of flags) {
        sendClientLog(server, { level: 'warning', logger: AUDIT_LOGGER, data: { flag: flag.kind, message: flag.message, auditId } });
      }
    },
  };
}

/** Asks the user through elicitation; true only for an accepted form with `allow: true`. */
async function confirmCall(server: Server, request: ConfirmRequest, signal: AbortSignal): Promise<boolean> {
  const what = request.destructive ? ' (annotated destructive)' : '';
  const result = await server.elicitInput({
    message: `A program wants to call ${request.server}.${request.tool}${what}. Policy rule ${request.rule} asks for your confirmation. Allow this call?`,
    requestedSchema: {
      type: 'object',
      properties: { allow: { type: 'boolean', title: 'Allow', description: `Allow ${request.callName} for the rest of this run` } },
      required: ['allow'],
    },
  }, { signal: request.signal ? AbortSignal.any([signal, request.signal]) : signal });
  return result.action === 'accept' && result.content?.allow === true;
}
