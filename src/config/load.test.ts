import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from './load.js';

const FILE = '/cfg/mcp.json';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a throw');
}

describe('parseConfigText', () => {
  it('reads a Claude Desktop style mcpServers object with defaults filled in', () => {
    const config = parseConfigText(
      JSON.stringify({ mcpServers: { memory: { command: 'npx', args: ['-y', 'x'] } }, somethingElse: 1 }),
      FILE,
      {},
    );
    expect(config.mcpServers.memory).toMatchObject({ command: 'npx', args: ['-y', 'x'], cwd: '/cfg' });
    expect(config.cemcp.limits.wallMs).toBe(30_000);
    expect(config.cemcp.surface.maxTokens).toBe(4_000);
  });

  it('accepts remote servers with url, headers and type', () => {
    const config = parseConfigText(
      JSON.stringify({ mcpServers: { api: { type: 'sse', url: 'http://127.0.0.1:9/sse', headers: { A: 'b' } } } }),
      FILE,
      {},
    );
    expect(config.mcpServers.api).toMatchObject({ type: 'sse', url: 'http://127.0.0.1:9/sse' });
  });

  it('names the JSON path and expectation of a schema error', () => {
    const err = errorOf(() => parseConfigText(JSON.stringify({ mcpServers: { gh: { command: 5 } } }), FILE, {}));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('/cfg/mcp.json: mcpServers.gh.command: Invalid input: expected string, received number');
  });

  it('refuses an upstream named __proto__ instead of losing it', () => {
    const err = errorOf(() => parseConfigText('{"mcpServers": {"__proto__": {"command": "node"}, "ok": {"command": "node"}}}', FILE, {}));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('mcpServers.__proto__: the name "__proto__" is not allowed');
  });

  it('names the path of a bad limit', () => {
    const err = errorOf(() =>
      parseConfigText(JSON.stringify({ cemcp: { limits: { wallMs: -1 } } }), FILE, {}),
    );
    expect(err.message).toMatch(/cemcp\.limits\.wallMs: /);
  });

  it('reports JSON syntax errors with line and column', () => {
    const err = errorOf(() => parseConfigText('{\n  "mcpServers": {,}\n}', FILE, {}));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/not valid JSON at line 2, column \d+/);
  });

  it('expands ${VAR} in env and headers from the given environment only', () => {
    const config = parseConfigText(
      JSON.stringify({
        mcpServers: {
          a: { command: 'x', env: { TOKEN: '${SECRET}', MODE: '${MODE:-dev}' } },
          b: { url: 'http://127.0.0.1:1/mcp', headers: { Authorization: 'Bearer ${SECRET}' } },
        },
      }),
      FILE,
      { SECRET: 's3' },
    );
    expect(config.mcpServers.a).toMatchObject({ env: { TOKEN: 's3', MODE: 'dev' } });
    expect(config.mcpServers.b).toMatchObject({ headers: { Authorization: 'Bearer s3' } });
  });

  it('expands ${CEMCP_CONFIG_DIR} to the config file folder', () => {
    const config = parseConfigText(
      JSON.stringify({ mcpServers: { a: { command: 'x', env: { F: '${CEMCP_CONFIG_DIR}/data.json' } } } }),
      FILE,
      { CEMCP_CONFIG_DIR: '/elsewhere' },
    );
    expect(config.mcpServers.a).toMatchObject({ env: { F: '/cfg/data.json' } });
  });

  it('refuses an unset variable, naming the field', () => {
    const err = errorOf(() =>
      parseConfigText(JSON.stringify({ mcpServers: { a: { command: 'x', env: { T: '${NOPE}' } } } }), FILE, {}),
    );
    expect(err.message).toBe('/cfg/mcp.json: mcpServers.a.env.T: environment variable NOPE is not set; set it where cemcp starts, or write ${NOPE:-default}');
  });
});

describe('loadConfig', () => {
  it('resolves cwd against the config file folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cemcp-config-'));
    const file = path.join(dir, 'mcp.json');
    await writeFile(file, JSON.stringify({ mcpServers: { a: { command: 'node', cwd: 'sub' } } }));
    const config = await loadConfig(file, { PATH: process.env.PATH });
    expect(config.mcpServers.a).toMatchObject({ cwd: path.join(dir, 'sub') });
  });

  it('says CONFIG_NOT_FOUND for a missing file', async () => {
    await expect(loadConfig('/nonexistent/mcp.json', {})).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
  });
});
