// The two tools cemcp exposes, `search` and `execute`: names, argument schemas and descriptions.
// Descriptions teach the pattern in few tokens; in auto mode `execute` carries the typed API.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

export const SEARCH_DESCRIPTION =
  'Find operations across all connected servers. Each hit is the exact call to write in execute code ' +
  '(e.g. `github.list_issues`) with its TypeScript signature.';

export const EXECUTE_DESCRIPTION =
  'Run a JavaScript/TypeScript program in a sandbox: the body of an async function (use await; return the answer). ' +
  'Each server is a global namespace of async functions: `const r = await server.tool({ ...args })`. ' +
  'Use search first to find them. Keep bulk data in code: filter/aggregate there and return or console.log only what you need. ' +
  'Failed calls throw ToolError (catchable).';

const SEARCH_SCHEMA = {
  type: 'object',
  properties: {
    query: { type: 'string', description: 'What you want to do, in words' },
    limit: { type: 'integer', minimum: 1, maximum: 50, description: 'Max hits (default 8)' },
    detail: { type: 'string', enum: ['name', 'summary', 'full'], description: 'Default: full for the top 3, summary after' },
    server: { type: 'string', description: 'Only this server' },
    tag: { type: 'string' },
  },
  required: ['query'],
} as const;

const EXECUTE_SCHEMA = {
  type: 'object',
  properties: { code: { type: 'string', description: 'The program' } },
  required: ['code'],
} as const;

/** The tool list of `tools/list`. `inlineApi` is the whole typed API, when auto mode carries it. */
export function createToolDefinitions(inlineApi?: string): Tool[] {
  const execute = inlineApi
    ? `${EXECUTE_DESCRIPTION} The API (search is optional):\n${inlineApi}`
    : EXECUTE_DESCRIPTION;
  return [
    { name: 'search', description: SEARCH_DESCRIPTION, inputSchema: SEARCH_SCHEMA as unknown as Tool['inputSchema'] },
    { name: 'execute', description: execute, inputSchema: EXECUTE_SCHEMA as unknown as Tool['inputSchema'] },
  ];
}
