import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.js';

const parse = (auth: unknown) => parseConfig({ mcpServers: {}, cemcp: { auth } }, 'mcp.json');
const errorOf = (auth: unknown) => {
  try {
    parse(auth);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('cemcp.auth', () => {
  it('is absent by default, and fills defaults when given', () => {
    expect(parseConfig({ mcpServers: {} }, 'mcp.json').cemcp.auth).toBeUndefined();
    expect(parse({ resource: 'https://mcp.example.com/mcp', authorizationServers: ['https://auth.example.com'] })).toMatchObject({
      cemcp: { auth: { algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'], clockToleranceSeconds: 30, requiredScopes: [], apiKeys: [] } },
    });
  });

  it('names the path of each mistake', () => {
    expect(errorOf({ authorizationServers: ['https://auth.example.com'] })).toContain('mcp.json: cemcp.auth.resource: required with authorizationServers');
    expect(errorOf({ resource: 'https://m/mcp', authorizationServers: ['https://a'], algorithms: ['HS256'] }))
      .toContain('mcp.json: cemcp.auth.algorithms.0: expected one of RS256');
    expect(errorOf({ resource: 'https://m/mcp', authorizationServers: ['http://auth.example.com'] }))
      .toContain('cemcp.auth.authorizationServers.0: expected an https URL');
    expect(errorOf({ apiKeys: [{ name: 'ci', key: 'ck_live_plaintext' }] })).toContain('cemcp.auth.apiKeys.0.key: expected only a ${VARIABLE} reference');
    expect(errorOf({ apiKeys: [{ name: 'ci', hash: 'md5:abc' }] })).toContain('cemcp.auth.apiKeys.0.hash: expected "sha256:" and 64 hex digits');
    expect(errorOf({ apiKeys: [{ name: 'ci' }] })).toContain('cemcp.auth.apiKeys.0: expected exactly one of "hash"');
    expect(errorOf({})).toContain('cemcp.auth: authenticates nothing');
    expect(errorOf({ resource: 'https://m/mcp', authorizationServers: ['https://a', 'https://b'], jwksUri: 'https://a/jwks' }))
      .toContain('cemcp.auth.jwksUri: needs exactly one entry in authorizationServers');
    expect(errorOf({ apiKeys: [{ name: 'ci', key: '${A}' }, { name: 'ci', key: '${B}' }] })).toContain('cemcp.auth.apiKeys.1.name: "ci" is used twice');
    expect(errorOf({ apiKeys: [{ name: 'ci', key: '${A}' }], resourse: 'x' })).toMatch(/cemcp\.auth\.resourse: .*resource/);
  });
});
