// Normalizes an MCP tool result into what a program receives (DESIGN.md "Inside the sandbox"):
// structuredContent when given; else text content, parsed as JSON when it is JSON; non-text
// content as { type, mimeType, data | uri }. Pure.
import { clipText } from '../common/index.js';

/** The parts of an MCP CallToolResult the runtime reads. */
export interface ToolCallResult {
  readonly content?: readonly ContentItem[] | undefined;
  readonly structuredContent?: unknown;
  readonly isError?: boolean | undefined;
}

export interface ContentItem {
  readonly type: string;
  readonly text?: string;
  readonly data?: string;
  readonly mimeType?: string;
  readonly uri?: string;
  readonly resource?: { readonly uri?: string; readonly mimeType?: string; readonly text?: string; readonly blob?: string };
  readonly [key: string]: unknown;
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
