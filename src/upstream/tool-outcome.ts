// From an upstream's answer to the one outcome a program receives (DESIGN.md "Inside the sandbox"):
// structuredContent when given; else text content, parsed as JSON when it is JSON; non-text content
// as { type, mimeType, data | uri }; an `isError` result is a TOOL_ERROR. `outcomeInvoker` turns a
// caller of MCP-shaped results (the pool, an OpenAPI source) into the runtime's ToolInvoker.
import { clipText, describeError, isCemcpError, type CallOutcome, type ContentItem, type ToolCallResult, type ToolInvoker, type CallOptions } from '../common/index.js';

/** Anything that answers MCP-shaped tool results, and may throw. */
export interface ResultCaller {
  callTool(server: string, toolName: string, args: Record<string, unknown>, options: CallOptions): Promise<ToolCallResult>;
}

/** Applied to what an upstream answered before a program can see it (the secret redactor). */
export interface ResultGuard {
  result(result: ToolCallResult): ToolCallResult;
  message(text: string): string;
}

const MAX_ERROR_CHARS = 2_000;

/** `caller` as a ToolInvoker: every answer and failure becomes a CallOutcome, after `guard`. */
export function outcomeInvoker(caller: ResultCaller, guard?: ResultGuard | undefined): ToolInvoker {
  return {
    async callTool(server, toolName, args, options) {
      try {
        const result = await caller.callTool(server, toolName, args, options);
        return toolOutcome(guard ? guard.result(result) : result);
      } catch (error) {
        const message = isCemcpError(error) ? error.message : describeError(error);
        return { ok: false, error: { code: isCemcpError(error) ? error.code : 'UPSTREAM_UNAVAILABLE', message: guard ? guard.message(message) : message } };
      }
    },
  };
}

export function toolOutcome(result: ToolCallResult): CallOutcome {
  if (result.isError) return { ok: false, error: { code: 'TOOL_ERROR', message: errorText(result, MAX_ERROR_CHARS), data: { content: result.content ?? [] } } };
  const only = result.content?.length === 1 ? result.content[0] : undefined;
  // The common case, one text item: the sandbox parses it (or keeps the text), the host never does.
  if ((result.structuredContent === undefined || result.structuredContent === null) && only?.type === 'text' && typeof only.text === 'string') {
    return { ok: true, text: only.text };
  }
  return { ok: true, value: normalizeToolResult(result) };
}

export function normalizeToolResult(result: ToolCallResult): unknown {
  if (result.structuredContent !== undefined && result.structuredContent !== null) return result.structuredContent;
  const items = (result.content ?? []).map(normalizeContent);
  if (items.length === 0) return null;
  return items.length === 1 ? items[0] : items;
}

/** The text of an error result, for the ToolError message. */
export function errorText(result: ToolCallResult, maxChars: number): string {
  const text = (result.content ?? [])
    .map((item) => (item.type === 'text' ? item.text ?? '' : `[${item.type}]`))
    .join('\n')
    .trim();
  // Marked: the PII tokenizer drops the raw tail before the mark (a value cut in half).
  return clipText(text || 'the tool reported an error', maxChars);
}

function normalizeContent(item: ContentItem): unknown {
  switch (item.type) {
    case 'text':
      return parseIfJson(item.text ?? '');
    case 'image':
    case 'audio':
      return { type: item.type, mimeType: item.mimeType, data: item.data };
    case 'resource_link':
      return { type: item.type, mimeType: item.mimeType, uri: item.uri, name: item.name };
    case 'resource': {
      const r = item.resource ?? {};
      return r.text !== undefined
        ? { type: 'resource', mimeType: r.mimeType, uri: r.uri, text: r.text }
        : { type: 'resource', mimeType: r.mimeType, uri: r.uri, data: r.blob };
    }
    default:
      return { type: item.type, mimeType: item.mimeType, ...(item.uri ? { uri: item.uri } : { data: item.data }) };
  }
}

function parseIfJson(text: string): unknown {
  const t = text.trim();
  if (!/^[[{"]|^-?\d|^(true|false|null)$/.test(t)) return text;
  try {
    return JSON.parse(t);
  } catch {
    return text;
  }
}
