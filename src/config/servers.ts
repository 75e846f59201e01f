// Server entries as clients write them: `mcpServers` (Claude Desktop, Claude Code, Cursor) or VS
// Code's `servers` (top level in .vscode/mcp.json, under `mcp` in settings.json; `inputs` ignored).
// Each entry's kind is decided before the schema so errors say what is wrong. Used by load.ts.
import { RemoteServerSchema, StdioServerSchema } from './schema.js';
import { closestMatch } from './suggest.js';

const TYPES = ['stdio', 'http', 'streamable-http', 'sse'];
const STDIO_KEYS = Object.keys(StdioServerSchema.shape);
const REMOTE_KEYS = Object.keys(RemoteServerSchema.shape);
/** Keys other clients write on an entry that cemcp does not use; accepted and ignored. */
const FOREIGN_KEYS = ['envFile', 'dev', 'gallery', 'version', 'description', 'name', 'timeout', 'alwaysAllow', 'autoApprove', 'transportType'];

export interface NormalizedServers {
  /** The raw config with its server entries under `mcpServers`. */
  readonly raw: unknown;
  /** Where the user wrote the entries: `mcpServers`, `servers` or `mcp.servers`. */
  readonly section: string;
  /** `section.name.field: message` for each bad entry; empty when all are well formed. */
  readonly issues: readonly string[];
}

export function normalizeServers(raw: unknown): NormalizedServers {
  if (!isObject(raw)) return { raw, section: 'mcpServers', issues: [] };
  const vscode = isObject(raw.mcp) && 'servers' in raw.mcp ? { section: 'mcp.servers', servers: raw.mcp.servers } : 'servers' in raw ? { section: 'servers', servers: raw.servers } : undefined;
  if (vscode && 'mcpServers' in raw) {
    return { raw, section: 'mcpServers', issues: [`(root): has both "mcpServers" and "${vscode.section}"; keep one list of servers (cemcp reads either)`] };
  }
  const section = vscode?.section ?? 'mcpServers';
  const servers = vscode ? vscode.servers : raw.mcpServers;
  if (servers === undefined) return { raw, section, issues: [] };
  if (!isObject(servers)) return { raw, section, issues: [`${section}: expected an object of named servers, e.g. { "memory": { "command": "npx", "args": [...] } }`] };
  const issues = Object.entries(servers).flatMap(([name, entry]) => checkEntry(entry, `${section}.${name}`));
  const { servers: _servers, inputs: _inputs, ...rest } = raw;
  return { raw: { ...rest, mcpServers: servers }, section, issues };
}

function checkEntry(entry: unknown, where: string): string[] {
  if (!isObject(entry)) return [`${where}: expected an object with "command" (a stdio server) or "url" (http/sse)`];
  const type = entry.type;
  if (type !== undefined && (typeof type !== 'string' || !TYPES.includes(type))) {
    return [`${where}.type: ${JSON.stringify(type)} is not supported; cemcp connects to stdio servers ("command"), Streamable HTTP ("type": "http" with "url") and SSE ("type": "sse" with "url"). Use one of those, or set "disabled": true`];
  }
  const hasCommand = 'command' in entry;
  const hasUrl = 'url' in entry;
  if (hasCommand && hasUrl) return [`${where}: has both "command" and "url"; keep "command" for a stdio server or "url" for a remote one`];
  if (!hasCommand && !hasUrl) {
    const near = Object.keys(entry).map((key) => [key, closestMatch(key, ['command', 'url'])] as const).find(([, match]) => match);
    return [`${where}: expected either "command" (a stdio server) or "url" (http/sse)${near ? `; found "${near[0]}" (did you mean "${near[1]}"?)` : ''}`];
  }
  if (type === 'stdio' && hasUrl) return [`${where}.type: "stdio" needs "command", not "url"; use "type": "http" or "sse" for a url`];
  if (type !== undefined && type !== 'stdio' && hasCommand) return [`${where}.type: "${type}" needs "url", not "command"; use "type": "stdio" (or no type) for a command`];
  const known = hasCommand ? STDIO_KEYS : REMOTE_KEYS;
  const misspelled = Object.keys(entry).filter((key) => !known.includes(key) && !FOREIGN_KEYS.includes(key)).flatMap((key) => {
    const near = closestMatch(key, known);
    return near ? [`${where}.${key}: unknown key (did you mean "${near}"?); fix the spelling or remove it`] : [];
  });
  const result = (hasCommand ? StdioServerSchema : RemoteServerSchema).safeParse(entry);
  const invalid = result.success ? [] : result.error.issues.map((issue) => {
    const path = [where, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) path.push(issue.keys[0] ?? '');
    return `${path.join('.')}: ${issue.message}`;
  });
  return [...misspelled, ...invalid];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
