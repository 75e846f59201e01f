import { describe, expect, it } from 'vitest';
import { parseConfigText } from './load.js';
import { resolveUpstreamLimits } from './upstream-limits.js';

const FILE = '/cfg/mcp.json';
const parse = (config: unknown) => parseConfigText(JSON.stringify(config), FILE, {});
const limitsOf = (config: unknown) => Object.fromEntries(resolveUpstreamLimits(parse(config)));

function messageOf(config: unknown): string {
  try {
    parse(config);
  } catch (e) {
    expect((e as { code: string }).code).toBe('CONFIG_INVALID');
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}

describe('per-upstream limits: resolution', () => {
  it('loads a Claude Desktop entry without limit keys and gives it the local defaults', () => {
    expect(limitsOf({ mcpServers: { memory: { command: 'npx', args: ['-y', 'server-memory'] } } })).toEqual({
      memory: { maxConcurrent: 32, configPath: 'mcpServers.memory' },
    });
  });

  it('gives url entries and OpenAPI sources the remote defaults (8 at once, 10/s, bursts of 20)', () => {
    const limits = limitsOf({ mcpServers: { crm: { url: 'https://crm.example.com/mcp' } }, openapi: { pets: { spec: './pets.json' } } });
    expect(limits.crm).toEqual({ maxConcurrent: 8, rateLimit: { perSecond: 10, burst: 20 }, configPath: 'mcpServers.crm' });
    expect(limits.pets).toEqual({ maxConcurrent: 8, rateLimit: { perSecond: 10, burst: 20 }, configPath: 'openapi.pets' });
  });

  it('lets an entry override its kind defaults key by key, and the cemcp.upstreams blocks override the built-in ones', () => {
    const limits = limitsOf({
      mcpServers: {
        crm: { url: 'https://crm.example.com/mcp', maxConcurrent: 2, callTimeoutMs: 5_000 },
        github: { command: 'github-mcp', rateLimit: { perSecond: 1.5 } },
        search: { url: 'https://s.example.com/mcp', rateLimit: false },
        off: { command: 'x', disabled: true },
      },
      openapi: { pets: { spec: './pets.json', rateLimit: { perSecond: 3, burst: 6 } } },
      cemcp: { upstreams: { remote: { maxConcurrent: 4, callTimeoutMs: 20_000 }, local: { maxConcurrent: 32 } } },
    });
    expect(limits.crm).toEqual({ maxConcurrent: 2, rateLimit: { perSecond: 10, burst: 20 }, callTimeoutMs: 5_000, configPath: 'mcpServers.crm' });
    expect(limits.github).toEqual({ maxConcurrent: 32, rateLimit: { perSecond: 1.5, burst: 2 }, configPath: 'mcpServers.github' });
    expect(limits.search).toEqual({ maxConcurrent: 4, callTimeoutMs: 20_000, configPath: 'mcpServers.search' });
    expect(limits.pets).toEqual({ maxConcurrent: 4, rateLimit: { perSecond: 3, burst: 6 }, callTimeoutMs: 20_000, configPath: 'openapi.pets' });
    expect(limits.off).toBeUndefined();
  });

  it('keeps the keys on the loaded entry (VS Code servers too)', () => {
    const config = parseConfigText(JSON.stringify({ servers: { crm: { type: 'http', url: 'https://crm.example.com/mcp', maxConcurrent: 3 } } }), FILE, {});
    expect(config.mcpServers.crm).toMatchObject({ maxConcurrent: 3 });
  });
});

describe('per-upstream limits: errors name the path', () => {
  it('refuses a bad value on an mcpServers entry', () => {
    expect(messageOf({ mcpServers: { crm: { url: 'https://crm.example.com/mcp', maxConcurrent: 0 } } }))
      .toBe('/cfg/mcp.json: mcpServers.crm.maxConcurrent: expected at least 1 call at once');
    expect(messageOf({ mcpServers: { crm: { command: 'node', rateLimit: { perSecond: 0 } } } }))
      .toBe('/cfg/mcp.json: mcpServers.crm.rateLimit.perSecond: expected calls per second above 0; write "rateLimit": false for no rate limit');
    expect(messageOf({ mcpServers: { crm: { command: 'node', rateLimit: true } } }))
      .toBe('/cfg/mcp.json: mcpServers.crm.rateLimit: expected { "perSecond": number, "burst"?: number }, or false for no rate limit');
  });

  it('suggests the key for a misspelling, on entries and in the rate limit object', () => {
    expect(messageOf({ mcpServers: { crm: { command: 'node', maxConcurent: 2 } } }))
      .toBe('/cfg/mcp.json: mcpServers.crm.maxConcurent: unknown key (did you mean "maxConcurrent"?); fix the spelling or remove it');
    expect(messageOf({ mcpServers: { crm: { command: 'node', rateLimit: { perSecond: 2, bursts: 4 } } } }))
      .toBe('/cfg/mcp.json: mcpServers.crm.rateLimit.bursts: unknown key "bursts" (did you mean "burst"?); the keys here are perSecond, burst. Fix the spelling or remove it');
  });

  it('checks OpenAPI sources and the cemcp.upstreams defaults the same way', () => {
    expect(messageOf({ openapi: { pets: { spec: './p.json', rateLimit: { perSecond: 2, burst: 0.5 } } } }))
      .toBe('/cfg/mcp.json: openapi.pets.rateLimit.burst: expected a whole number of calls, at least 1');
    expect(messageOf({ cemcp: { upstreams: { remote: { maxConcurrent: -1 } } } }))
      .toBe('/cfg/mcp.json: cemcp.upstreams.remote.maxConcurrent: expected at least 1 call at once');
    expect(messageOf({ cemcp: { upstreams: { remote: { maxConcurent: 2 } } } }))
      .toContain('cemcp.upstreams.remote.maxConcurent: unknown key "maxConcurent" (did you mean "maxConcurrent"?)');
  });
});
