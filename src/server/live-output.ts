// The MCP side of what a session's client is sent while a request runs: the logging level the
// client chose (`logging/setLevel`, honoured by every logging message cemcp sends) and the sink of
// one tools/call's ProgressReporter, whose notifications ride on that request (on HTTP, its own
// response stream, so they arrive before its result). Imported by mcp-server.ts and session-context.ts.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  SetLevelRequestSchema, type LoggingLevel, type LoggingMessageNotification, type ServerNotification, type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { ProgressSink } from './progress-reporter.js';

/** The logger of a program's console lines. */
export const CONSOLE_LOGGER = 'cemcp.console';

const SEVERITY: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];
const chosen = new WeakMap<Server, LoggingLevel>();

/** Takes over `logging/setLevel` for `server` (one Server serves one session), so that every sender here can honour it. */
export function trackLogLevel(server: Server): void {
  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    chosen.set(server, request.params.level);
    return {};
  });
}

/** Until the client chooses a level, every message goes (the spec leaves the default to the server). */
export function allowsLevel(server: Server, level: LoggingLevel): boolean {
  const floor = chosen.get(server);
  return floor === undefined || SEVERITY.indexOf(level) >= SEVERITY.indexOf(floor);
}

/** A logging message to the session, unless its level is below the client's choice. Never rejects. */
export function sendClientLog(server: Server, params: LoggingMessageNotification['params']): void {
  if (allowsLevel(server, params.level)) server.sendLoggingMessage(params).catch(() => undefined);
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The sink of one request: progress only when it carried a progressToken; console lines as logging messages. */
export function createRequestSink(server: Server, extra: Extra): ProgressSink {
  const token = extra._meta?.progressToken;
  return {
    ...(token !== undefined
      ? { progress: (progress: number, message: string) => extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, message } }) }
      : {}),
    log: (level, text) => {
      if (!allowsLevel(server, level)) return undefined;
      return extra.sendNotification({ method: 'notifications/message', params: { level, logger: CONSOLE_LOGGER, data: text } });
    },
  };
}
