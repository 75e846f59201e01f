// The MCP server of one client session (official SDK, low-level Server): tools/list gives exactly
// `search` and `execute`; tools/call validates arguments at this edge and turns every failure
// into an isError result the model can act on. Only this stage maps errors to the wire.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema, ErrorCode as McpErrorCode, ListToolsRequestSchema, McpError,
  type CallToolResult, type LoggingLevel,
} from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { z } from 'zod';
import { describeError, isCemcpError, type Logger, type LogSeverity, type Principal } from '../common/index.js';
import { executeCallResult } from './execute-result.js';
import type { GatewayService, GatewaySession } from './gateway-service.js';
import { createRequestSink, sendClientLog, trackLogLevel } from './live-output.js';
import { ProgressReporter } from './progress-reporter.js';
import { createRequestContext } from './session-context.js';
import { storeSessionId } from './session-directory.js';

const SERVER_INFO = { name: 'cemcp', version: '0.1.0' };

const SearchArgsSchema = z.object({
  query: z.string(),
  queries: z.array(z.string()).max(5).optional(),
  limit: z.number().int().min(1).max(50).optional(),
  detail: z.enum(['name', 'summary', 'full']).optional(),
  server: z.string().min(1).optional(),
  tag: z.string().min(1).optional(),
  language: z.enum(['javascript', 'typescript', 'python']).optional(),
});
const ExecuteArgsSchema = z.object({
  code: z.string().min(1, 'expected a non-empty program'),
  language: z.enum(['javascript', 'typescript', 'python']).optional(),
});

/** Sends gateway log lines of `warning` and above to every initialized client session. */
export class ClientLogBroadcaster implements Logger {
  private readonly servers = new Set<Server>();
  private readonly pending: { severity: LogSeverity; message: string }[] = [];

  /** `replay` lines are sent to each client as it initializes (e.g. upstreams that failed at start). */
  remember(severity: LogSeverity, message: string): void {
    this.pending.push({ severity, message });
  }

  attach(server: Server): void {
    server.oninitialized = () => {
      this.servers.add(server);
      for (const { severity, message } of this.pending) sendLog(server, severity, message);
    };
    const previous = server.onclose;
    server.onclose = () => {
      this.servers.delete(server);
      previous?.();
    };
  }

  log(severity: LogSeverity, message: string): void {
    if (severity === 'debug' || severity === 'info') return;
    for (const server of this.servers) sendLog(server, severity, message);
  }
}

/**
 * The SDK's validator (it checks elicitation answers), made on a session's first elicitation: the
 * default one is made with every Server and compiles ajv's meta-schemas, on the path of start-up
 * and of every new HTTP session. One per Server, so its cache of schemas ends with the session.
 */
function lazyValidator(): jsonSchemaValidator {
  let made: AjvJsonSchemaValidator | undefined;
  return {
    getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
      made ??= new AjvJsonSchemaValidator();
      return made.getValidator<T>(schema);
    },
  };
}

export interface McpServerOptions {
  /** The transport of the session, as audit records name it (default "stdio"; a request with an mcp-session-id says "http"). */
  readonly transport?: string;
  /** The session's data in the store expires this long after its last run; absent: it lasts until close. */
  readonly sessionTtlMs?: number;
  /**
   * The HTTP `mcp-session-id`: the session's data is stored under a hash of it, so any process
   * sharing the store can find it, while logs and audit records never hold the id a client presents.
   */
  readonly mcpSessionId?: string;
  /** Who the session acts for (HTTP with authentication): on its audit records, matched by policy and caps. */
  readonly principal?: Principal;
}

const sessionOf = new WeakMap<Server, GatewaySession>();
const keepStored = new WeakSet<Server>();

/** The server's session, when it closes, leaves its data in the store for other processes (this one stops, or holds a copy). */
export function keepStoredOnClose(server: Server): void {
  keepStored.add(server);
}

/** Executes of the server's session running now (a client that went away may leave one running). */
export function activeRuns(server: Server): number {
  return sessionOf.get(server)?.session.activeRuns ?? 0;
}

export function createMcpServer(service: GatewayService, broadcaster?: ClientLogBroadcaster, options: McpServerOptions = {}): Server {
  // One MCP session per Server: its own id, PII map and data in the store, closed with it.
  const transport = options.transport ?? 'stdio';
  const session = service.openSession(transport, {
    ...(options.mcpSessionId !== undefined ? { id: storeSessionId(transport, options.mcpSessionId) } : {}),
    ...(options.sessionTtlMs !== undefined ? { ttlMs: options.sessionTtlMs } : {}),
    ...(options.principal !== undefined ? { principal: options.principal } : {}),
  });
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: { listChanged: true }, logging: {} },
    instructions: 'Use `search` to find operations, then `execute` a short program that calls them. Return only what you need.',
    jsonSchemaValidator: lazyValidator(),
  });
  trackLogLevel(server);

  sessionOf.set(server, session);

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: service.toolDefinitions() }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: args = {} } = request.params;
    if (name === 'search') {
      const parsed = SearchArgsSchema.safeParse(args);
      if (!parsed.success) return errorResult(argumentError('search', parsed.error));
      try {
        return { content: [{ type: 'text', text: await service.search(parsed.data, extra.signal) }] };
      } catch (error) {
        return errorResult(isCemcpError(error) ? error.message : `search failed: ${describeError(error)}`);
      }
    }
    if (name === 'execute') {
      const parsed = ExecuteArgsSchema.safeParse(args);
      if (!parsed.success) return errorResult(argumentError('execute', parsed.error));
      // Live progress and console lines ride on this request until it answers.
      const reporter = new ProgressReporter(createRequestSink(server, extra), service.progressOptions);
      const context = { ...createRequestContext(server, session, extra.sessionId, extra.signal), events: reporter, ...(parsed.data.language ? { language: parsed.data.language } : {}) };
      const result = await service.execute(parsed.data.code, extra.signal, context).finally(() => reporter.close());
      return executeCallResult(result);
    }
    throw new McpError(McpErrorCode.InvalidParams, `unknown tool "${name}": this server has search and execute`);
  });

  const unsubscribe = service.onDefinitionsChanged(() => {
    server.sendToolListChanged().catch(() => undefined);
  });
  server.onclose = () => {
    unsubscribe();
    // The session's PII map and its data in the store are gone with it (unless other processes serve it on).
    if (keepStored.has(server)) session.release();
    else session.close().catch(() => undefined);
  };
  broadcaster?.attach(server);
  return server;
}

function argumentError(tool: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => `${tool}: argument "${issue.path.map(String).join('.') || '(arguments)'}": ${issue.message}`)
    .join('\n');
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

const LEVELS: Record<LogSeverity, LoggingLevel> = { debug: 'debug', info: 'info', warning: 'warning', error: 'error' };

function sendLog(server: Server, severity: LogSeverity, message: string): void {
  sendClientLog(server, { level: LEVELS[severity], logger: 'cemcp', data: message });
}
