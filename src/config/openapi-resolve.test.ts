// The `openapi` key of a config: defaults, ${VAR} expansion of credentials in the host, spec paths
// resolved against the config's folder, and errors that name the field.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from './load.js';

const parse = (openapi: unknown, env: Record<string, string> = {}, mcpServers: unknown = {}) =>
  parseConfigText(JSON.stringify({ mcpServers, openapi }), '/cfg/mcp.json', env);

describe('config: openapi sources', () => {
  it('expands ${VAR} in auth, headers and baseUrl, and resolves the spec path', () => {
    const config = parse({
      cf: { spec: './specs/cf.json', baseUrl: '${CF_URL}', auth: { type: 'bearer', token: '${CF_TOKEN}' }, headers: { 'X-Key': 'k-${CF_KEY}' } },
    }, { CF_TOKEN: 't0k', CF_KEY: 'abc', CF_URL: 'https://api.example.com/v4' });
    expect(config.openapi['cf']).toMatchObject({
      spec: '/cfg/specs/cf.json', baseUrl: 'https://api.example.com/v4',
      auth: { type: 'bearer', token: 't0k' }, headers: { 'X-Key': 'k-abc' }, maxResponseBytes: 8 << 20,
    });
  });

  it('keeps a spec URL as it is and defaults to no sources', () => {
    expect(parse({ x: { spec: 'https://example.com/openapi.yaml' } }).openapi['x']?.spec).toBe('https://example.com/openapi.yaml');
    expect(parseConfigText('{"mcpServers":{}}', '/cfg/mcp.json', {}).openapi).toEqual({});
  });

  it('names the field of an unset variable, a bad auth type and a bad base URL', () => {
    expect(() => parse({ cf: { spec: 'a.json', auth: { type: 'basic', username: 'u', password: '${PW}' } } }))
      .toThrow('/cfg/mcp.json: openapi.cf.auth.password: environment variable PW is not set');
    expect(() => parse({ cf: { spec: 'a.json', auth: { type: 'oauth' } } })).toThrow(/openapi\.cf\.auth\.type: expected \{ type: "bearer"/);
    expect(() => parse({ cf: { spec: 'a.json', baseUrl: 'ftp://x' } })).toThrow('/cfg/mcp.json: openapi.cf.baseUrl: expected an http(s) URL');
  });

  it('refuses a name used by both an MCP server and an OpenAPI source, and skips disabled sources', () => {
    expect(() => parse({ mem: { spec: 'a.json' } }, {}, { mem: { command: 'node' } })).toThrow(/openapi\.mem: the name "mem" is also an mcpServers entry/);
    expect(parse({ off: { spec: 'a.json', disabled: true } }).openapi).toEqual({});
  });
});
