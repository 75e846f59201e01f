import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from './load.js';
import { closestMatch } from './suggest.js';

const FILE = '/cfg/mcp.json';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect((e as { code: string }).code).toBe('CONFIG_INVALID');
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}
const parse = (config: unknown, env = {}) => parseConfigText(typeof config === 'string' ? config : JSON.stringify(config), FILE, env);

describe('unknown keys under cemcp', () => {
  it('refuses a misspelled limit, naming the file, the path and the nearest key', () => {
    const message = messageOf(() => parse({ cemcp: { limits: { cpuMS: 5000 } } }));
    expect(message).toMatch(/^\/cfg\/mcp\.json: cemcp\.limits\.cpuMS: unknown key "cpuMS" \(did you mean "cpuMs"\?\); the keys here are cpuMs, wallMs, .*Fix the spelling or remove it$/);
  });

  it('refuses a misspelled section and lists every unknown key at once', () => {
    const message = messageOf(() => parse({ cemcp: { surfce: { maxTokens: 10 }, limits: { wallMS: 1, bogus: 2 } } }));
    expect(message).toContain('/cfg/mcp.json: cemcp.surfce: unknown key "surfce" (did you mean "surface"?)');
    expect(message).toContain('/cfg/mcp.json: cemcp.limits: unknown key "wallMS" (did you mean "wallMs"?), unknown key "bogus";');
  });

  it('checks nested oversight and openapi sections too', () => {
    expect(messageOf(() => parse({ cemcp: { audit: { flags: { maxcall: 3 } } } }))).toContain('cemcp.audit.flags.maxcall: unknown key "maxcall" (did you mean "maxCalls"?)');
    expect(messageOf(() => parse({ openapi: { pets: { spec: './p.json', baseURL: 'https://x' } } }))).toContain('openapi.pets.baseURL: unknown key "baseURL" (did you mean "baseUrl"?)');
  });

  it('still ignores unknown top-level keys, which other tools write', () => {
    expect(parse({ mcpServers: {}, somethingElse: 1 }).cemcp.limits.cpuMs).toBe(10_000);
  });

  it('accepts the http section and suggests its keys', () => {
    expect(parse({ cemcp: { http: { allowedHosts: ['mcp.example.com'], allowedOrigins: ['https://app.example.com'] } } }).cemcp.http.allowedHosts).toEqual(['mcp.example.com']);
    expect(messageOf(() => parse({ cemcp: { http: { allowedHost: ['x'] } } }))).toContain('cemcp.http.allowedHost: unknown key "allowedHost" (did you mean "allowedHosts"?)');
    expect(messageOf(() => parse({ cemcp: { http: { allowedOrigins: ['https://app.example.com/path'] } } }))).toContain('cemcp.http.allowedOrigins.0: expected an origin only');
    expect(parse({}).cemcp.http.drainMs).toBe(30_000);
    expect(parse({}).cemcp.metrics).toEqual({ enabled: true });
    expect(messageOf(() => parse({ cemcp: { metrics: { token: 'literal-secret-in-the-file' } } }))).toContain('/cfg/mcp.json: cemcp.metrics.token: expected a ${VARIABLE} reference to an environment variable holding the token');
    expect(parse({ cemcp: { metrics: { token: '${METRICS_TOKEN}' } } }).cemcp.metrics.token).toBe('${METRICS_TOKEN}'); // expanded by serve --http (cli/ops-wiring.ts)
  });

  it('reads the types section with its defaults (learning on), and names its keys in errors', () => {
    expect(parse({}).cemcp.types).toEqual({ infer: true, file: '.cemcp/learned-types.json' });
    expect(parse({ cemcp: { types: { infer: false } } }).cemcp.types.infer).toBe(false);
    expect(messageOf(() => parse({ cemcp: { types: { infered: false } } }))).toContain('cemcp.types.infered: unknown key "infered"; the keys here are infer, file');
  });

  it('reads the sessions section with its defaults, and names its keys in errors', () => {
    expect(parse({}).cemcp.sessions).toEqual({ idleTimeoutMs: 1_800_000, maxSessions: 256 });
    expect(parse({}).cemcp.store).toEqual({ type: 'memory' });
    expect(parse({ cemcp: { sessions: { idleTimeoutMs: 60_000, maxSessions: 4 } } }).cemcp.sessions).toMatchObject({ idleTimeoutMs: 60_000, maxSessions: 4 });
    expect(messageOf(() => parse({ cemcp: { sessions: { maxSession: 4 } } }))).toContain('cemcp.sessions.maxSession: unknown key "maxSession" (did you mean "maxSessions"?)');
    expect(messageOf(() => parse({ cemcp: { sessions: { maxSessions: 0 } } }))).toContain('cemcp.sessions.maxSessions');
    expect(messageOf(() => parse({ cemcp: { store: { type: 'postgres' } } }))).toContain('cemcp.store.type');
  });

  it('matches close spellings only', () => {
    expect(closestMatch('surfce', ['surface', 'limits'])).toBe('surface');
    expect(closestMatch('WALLMS', ['cpuMs', 'wallMs'])).toBe('wallMs');
    expect(closestMatch('completelyDifferent', ['cpuMs', 'wallMs'])).toBeUndefined();
  });
});

describe('VS Code configs', () => {
  const vscode = `{
    // .vscode/mcp.json as VS Code writes it
    "inputs": [{ "type": "promptString", "id": "token", "description": "API token", "password": true }],
    "servers": {
      "memory": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory",], "envFile": "\${workspaceFolder}/.env" },
      /* a remote one */
      "remote": { "type": "http", "url": "https://example.com/mcp", "headers": { "X-Home": "\${env:HOME}" } },
    },
  }`;

  it('reads top-level servers, comments and trailing commas, ignoring inputs', () => {
    const config = parse(vscode, { HOME: '/home/u' });
    expect(Object.keys(config.mcpServers)).toEqual(['memory', 'remote']);
    expect(config.mcpServers.memory).toMatchObject({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] });
    expect(config.mcpServers.remote).toMatchObject({ url: 'https://example.com/mcp', headers: { 'X-Home': '/home/u' } });
  });

  it('reads settings.json style mcp.servers and expands ${workspaceFolder}', () => {
    const config = parseConfigText(JSON.stringify({ mcp: { servers: { fs: { command: 'node', args: ['${workspaceFolder}/srv.js'] } } } }), '/proj/.vscode/mcp.json', {});
    expect(config.mcpServers.fs).toMatchObject({ args: ['/proj/srv.js'] });
  });

  it('names the servers section the user wrote in errors', () => {
    expect(messageOf(() => parse({ servers: { x: { command: 'node', args: 'a.js' } } }))).toBe('/cfg/mcp.json: servers.x.args: Invalid input: expected array, received string');
  });

  it('refuses ${input:...} prompts with what to write instead', () => {
    const message = messageOf(() => parse({ servers: { r: { url: 'https://e.com/mcp', headers: { Authorization: 'Bearer ${input:token}' } } } }));
    expect(message).toBe('/cfg/mcp.json: mcpServers.r.headers.Authorization: ${input:token} is a VS Code prompt, which cemcp cannot show; put the value in an environment variable and write ${VARIABLE} instead');
  });

  it('refuses a file with both lists', () => {
    expect(messageOf(() => parse({ mcpServers: {}, servers: {} }))).toContain('(root): has both "mcpServers" and "servers"; keep one list of servers');
  });

  it('reports JSONC syntax errors with line, column and what was expected', () => {
    expect(messageOf(() => parse('{\n  // fine\n  "mcpServers": { "a": { "command": "node" "args": [] } }\n}'))).toBe('/cfg/mcp.json: not valid JSON at line 3, column 44: expected "," between entries');
    expect(messageOf(() => parse(''))).toContain('not valid JSON at line 1, column 1');
  });

  it('still refuses a __proto__ server name in JSONC', () => {
    expect(messageOf(() => parse('{ "servers": { "__proto__": { "command": "node" }, } }'))).toContain('servers.__proto__: the name "__proto__" is not allowed');
  });
});

describe('server entries', () => {
  it('says an unsupported transport type is unsupported, even with a url', () => {
    const message = messageOf(() => parse({ mcpServers: { ws: { type: 'websocket', url: 'wss://example.com/mcp' } } }));
    expect(message).toBe('/cfg/mcp.json: mcpServers.ws.type: "websocket" is not supported; cemcp connects to stdio servers ("command"), Streamable HTTP ("type": "http" with "url") and SSE ("type": "sse" with "url"). Use one of those, or set "disabled": true');
  });

  it('explains an entry with neither command nor url, suggesting a near key', () => {
    expect(messageOf(() => parse({ mcpServers: { a: { comand: 'node' } } }))).toBe('/cfg/mcp.json: mcpServers.a: expected either "command" (a stdio server) or "url" (http/sse); found "comand" (did you mean "command"?)');
    expect(messageOf(() => parse({ mcpServers: { a: { command: 'node', url: 'https://e.com' } } }))).toContain('has both "command" and "url"');
    expect(messageOf(() => parse({ mcpServers: { a: { type: 'sse', command: 'node' } } }))).toContain('mcpServers.a.type: "sse" needs "url", not "command"');
  });

  it('refuses a misspelled entry key but accepts keys other clients write', () => {
    expect(messageOf(() => parse({ mcpServers: { a: { command: 'node', arg: ['x'] } } }))).toBe('/cfg/mcp.json: mcpServers.a.arg: unknown key (did you mean "args"?); fix the spelling or remove it');
    expect(parse({ mcpServers: { a: { command: 'node', envFile: '.env', autoApprove: [] } } }).mcpServers.a).toMatchObject({ command: 'node' });
  });

  it('reads cemcp.python.processPerRun (default false) and names it when it is not a boolean', () => {
    expect(parse({ mcpServers: {} }).cemcp.python.processPerRun).toBe(false);
    expect(parse({ mcpServers: {}, cemcp: { python: { processPerRun: true } } }).cemcp.python.processPerRun).toBe(true);
    expect(messageOf(() => parse({ mcpServers: {}, cemcp: { python: { processPerRun: 'yes' } } }))).toContain('cemcp.python.processPerRun');
  });

  it('reports a bad entry together with the other problems of the file', () => {
    const message = messageOf(() => parse({ mcpServers: { a: { type: 'websocket', url: 'wss://x' } }, cemcp: { poolsize: 2 } }));
    expect(message.split('\n')).toHaveLength(2);
    expect(message).toContain('cemcp.poolsize: unknown key "poolsize" (did you mean "poolSize"?)');
  });
});

describe('missing commands', () => {
  async function configIn(servers: Record<string, unknown>): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cemcp-cmd-'));
    const file = path.join(dir, 'mcp.json');
    await writeFile(file, JSON.stringify({ mcpServers: servers }));
    await chmod(file, 0o600);
    return file;
  }

  it('says command not found with the PATH it searched and how to fix it', async () => {
    const file = await configIn({ ok: { command: 'node' }, gone: { command: 'no-such-mcp-server-xyz', args: [] } });
    await expect(loadConfig(file, { PATH: '/usr/local/bin:/usr/bin' })).rejects.toThrow(
      `${file}: mcpServers.gone.command: command not found: "no-such-mcp-server-xyz" (searched PATH: /usr/local/bin:/usr/bin); install it, give its absolute path, or set "disabled": true on this entry`);
  });

  it('resolves a relative command against the entry cwd and skips disabled entries', async () => {
    const file = await configIn({ rel: { command: './bin/server' }, off: { command: 'no-such-thing', disabled: true } });
    await expect(loadConfig(file, { PATH: process.env.PATH })).rejects.toThrow(`mcpServers.rel.command: command not found: "./bin/server" (no executable file at ${path.join(path.dirname(file), 'bin/server')})`);
    const fine = await configIn({ node: { command: process.execPath }, off: { command: 'no-such-thing', disabled: true } });
    await expect(loadConfig(fine, {})).resolves.toMatchObject({ file: fine });
  });
});
