// Bounds an upstream's tool list at the edge, before anything recurses over it: schemas nested
// deeper than the catalog can render or serialize safely are replaced by a plain object schema,
// and very long descriptions are cut. Imported by upstream/connection.ts.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

/** Deeper than this, JSON.stringify and the TypeScript renderer would risk the host's stack. */
const MAX_SCHEMA_DEPTH = 64;
export const MAX_DESCRIPTION_CHARS = 4_000;

const TOO_DEEP = { type: 'object', description: 'schema omitted: nested too deeply' } as const;

export function boundTool(tool: Tool): Tool {
  const description = tool.description && tool.description.length > MAX_DESCRIPTION_CHARS
    ? `${tool.description.slice(0, MAX_DESCRIPTION_CHARS)}…`
    : tool.description;
  const inputSchema = depthOf(tool.inputSchema) > MAX_SCHEMA_DEPTH ? TOO_DEEP : tool.inputSchema;
  const outputDeep = tool.outputSchema !== undefined && depthOf(tool.outputSchema) > MAX_SCHEMA_DEPTH;
  const { outputSchema, ...rest } = tool;
  return {
    ...rest,
    ...(description === undefined ? {} : { description }),
    inputSchema: inputSchema as Tool['inputSchema'],
    ...(outputSchema && !outputDeep ? { outputSchema } : {}),
  };
}

/** Nesting depth of a JSON value, without recursion (it must not overflow on what it measures). */
export function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_SCHEMA_DEPTH) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}
