// Classifies why an upstream tools/call failed, from what the official SDK client threw: no answer
// in time (UPSTREAM_TIMEOUT), the connection gone (UPSTREAM_UNAVAILABLE), the tool itself failing
// (TOOL_ERROR: a JSON-RPC error the upstream answered with, such as a handler that threw, which the
// SDK's low-level Server sends as -32603), or a broken exchange (UPSTREAM_PROTOCOL: an unparsable
// or malformed answer, a method the upstream lacks). Pure; imported by connection.ts.
import { ErrorCode as McpErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { UpstreamError, describeError } from '../common/index.js';

// JSON-RPC codes that say the exchange itself went wrong, not the tool.
const PROTOCOL_CODES: ReadonlySet<number> = new Set([McpErrorCode.ParseError, McpErrorCode.InvalidRequest, McpErrorCode.MethodNotFound]);

export interface CallFailureContext {
  readonly upstream: string;
  readonly toolName: string;
  readonly timeoutMs: number;
}

export function classifyCallFailure(error: unknown, context: CallFailureContext): UpstreamError {
  const { upstream, toolName, timeoutMs } = context;
  const where = `upstream "${upstream}" tool "${toolName}"`;
  const details = { upstream };
  if (error instanceof McpError && error.code === McpErrorCode.RequestTimeout) {
    // Which key raises it (cemcp.limits.toolCallTimeoutMs or the upstream's own callTimeoutMs) is
    // for the runtime to say: it knows which of the two bound.
    return new UpstreamError('UPSTREAM_TIMEOUT', `${where}: no answer within ${timeoutMs} ms`, details, { cause: error });
  }
  if (error instanceof McpError && error.code === McpErrorCode.ConnectionClosed) {
    return new UpstreamError('UPSTREAM_UNAVAILABLE', `${where}: the upstream closed the connection during the call`, details, { cause: error });
  }
  if (error instanceof McpError && !PROTOCOL_CODES.has(error.code)) {
    // The SDK writes `MCP error <code>: <message>`; like an isError result, the tool's own words
    // (the runtime puts the call's name before them).
    const message = error.message.replace(/^MCP error -?\d+: /, '') || 'the tool failed without a message';
    return new UpstreamError('TOOL_ERROR', message, { ...details, rpcCode: error.code }, { cause: error });
  }
  return new UpstreamError('UPSTREAM_PROTOCOL', `${where}: ${describeError(error)}`, details, { cause: error });
}
