// What `execute` answers on the wire: the text the model reads, and beside it `structuredContent`
// with the outcome as data (ok, error code, audit id, sizes) so clients and tests never parse text.
// No outputSchema is declared for it: the tool definitions stay small. Imported by mcp-server.ts.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ExecuteResult } from '../runtime/index.js';

/** The `structuredContent` of an execute result. Fields are added, never renamed. */
export interface ExecuteOutcome {
  readonly ok: boolean;
  /** Why the run failed: SYNTAX_ERROR, OPERATION_UNKNOWN, TOOL_ERROR, SANDBOX_CPU, ... */
  readonly errorCode?: string;
  /** The run's audit record (`cemcp audit show <id>`), when auditing is on. */
  readonly auditId?: string;
  readonly tokensIn: number;
  readonly tokensOut: number;
  /** Part of the answer was cut to the token budget. */
  readonly cut: boolean;
  /** The result handle of a return value cut to a preview (`handles.get(id)` in a later execute). */
  readonly handle?: string;
  /** Tool calls the program started (refusals included). */
  readonly toolCalls: number;
  readonly wallMs?: number;
  readonly cpuMs?: number;
}

export function executeOutcome(result: ExecuteResult): ExecuteOutcome {
  const stats = result.stats;
  const toolCalls = result.tally ? Object.values(result.tally.counts).reduce((sum, n) => sum + n, 0) : result.calls.length;
  return {
    ok: result.ok,
    ...(result.ok || result.errorCode === undefined ? {} : { errorCode: result.errorCode }),
    ...(result.auditId !== undefined ? { auditId: result.auditId } : {}),
    tokensIn: result.tokensIn,
    tokensOut: result.tokensOut,
    cut: result.cut,
    ...(result.handle !== undefined ? { handle: result.handle } : {}),
    toolCalls,
    ...(stats ? { wallMs: Math.round(stats.wallMs), cpuMs: Math.round(stats.cpuMs) } : {}),
  };
}

export function executeCallResult(result: ExecuteResult): CallToolResult {
  return {
    content: [{ type: 'text', text: result.text }],
    structuredContent: { ...executeOutcome(result) },
    ...(result.ok ? {} : { isError: true }),
  };
}
