// The two tools cemcp exposes, `search` and `execute`: names, argument schemas and descriptions.
// Descriptions teach the pattern in few tokens; in auto mode `execute` carries the typed API.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

const SEARCH_DESCRIPTION =
  'Find operations to call in execute. Give the task in `query` and 2-3 rephrasings in `queries` using likely API '
  + 'nouns and verbs ("delete team membership"). Returns the best hit\'s signature, then a line per hit; detail "full" '
  + 'documents all. Empty query browses servers, then a server\'s tags, then a tag.';

// In auto mode the model already holds the API: searching would pay for it twice.
// The inlined API is TypeScript: a Python program's signatures come from search (`language`).
const SEARCH_WHEN_INLINED =
  'Not needed for JS/TS (execute lists the API); language "python" gives Python signatures. '
  + 'Finds operations by words (`query`, more phrasings in `queries`).';

const EXECUTE_DESCRIPTION =
  'Run a JS/TS program in a sandbox: the body of an async function (await; return the answer). ' +
  'Each server is a global namespace of async functions: `const r = await server.tool({ ...args })`. ' +
  'Use search first to find them. Keep bulk data in code: filter there, return or print only what you need. ' +
  'Failed calls throw ToolError (.code, .message). ' +
  'Python: language "python", `r = await server.tool({"k": v})`, `except ToolError as e`.';

const SEARCH_SCHEMA = {
  type: 'object',
  properties: {
    query: { type: 'string', description: 'What you want to do, in words' },
    queries: { type: 'array', items: { type: 'string' }, maxItems: 5 },
    limit: { type: 'integer', minimum: 1, maximum: 50 },
    detail: { type: 'string', enum: ['name', 'summary', 'full'] },
    server: { type: 'string' },
    tag: { type: 'string' },
    language: { enum: ['javascript', 'typescript', 'python'] },
  },
  required: ['query'],
} as const;

const EXECUTE_SCHEMA = {
  type: 'object',
  properties: { code: { type: 'string' }, language: { enum: ['javascript', 'typescript', 'python'] } },
  required: ['code'],
} as const;

/** The tool list of `tools/list`. `inlineApi` is the whole typed API, when auto mode carries it. */
export function createToolDefinitions(inlineApi?: string): Tool[] {
  const execute = inlineApi
    ? `${EXECUTE_DESCRIPTION} The TypeScript API (Python signatures: search with language "python"):\n${inlineApi}`
    : EXECUTE_DESCRIPTION;
  return [
    { name: 'search', description: inlineApi ? SEARCH_WHEN_INLINED : SEARCH_DESCRIPTION, inputSchema: SEARCH_SCHEMA as unknown as Tool['inputSchema'] },
    { name: 'execute', description: execute, inputSchema: EXECUTE_SCHEMA as unknown as Tool['inputSchema'] },
  ];
}
