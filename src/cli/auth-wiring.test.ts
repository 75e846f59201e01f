import { describe, expect, it } from 'vitest';
import { silentLogger } from '../common/index.js';
import { parseConfigText } from '../config/index.js';
import { checkAuthFlags, wireAuth } from './auth-wiring.js';

const config = (cemcp: Record<string, unknown> = {}) => parseConfigText(JSON.stringify({ mcpServers: {}, cemcp }), '/srv/mcp.json', {});
const withKeys = () => config({ auth: { apiKeys: [{ name: 'ci', key: '${CI_KEY}' }] } });

describe('serve --http authentication wiring', () => {
  it('refuses beyond loopback without cemcp.auth, naming the fixes', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'mcp.internal']) {
      expect(() => checkAuthFlags(config(), host, false)).toThrow(/--host .* is reachable beyond this machine and \/srv\/mcp\.json has no cemcp\.auth[\s\S]*--insecure-no-auth/);
    }
  });

  it('allows loopback without auth, beyond it with auth or --insecure-no-auth, and refuses the flag beside cemcp.auth', () => {
    for (const host of ['127.0.0.1', '127.9.9.9', 'localhost', '::1']) expect(() => checkAuthFlags(config(), host, false)).not.toThrow();
    expect(() => checkAuthFlags(withKeys(), '0.0.0.0', false)).not.toThrow();
    expect(() => checkAuthFlags(config(), '0.0.0.0', true)).not.toThrow();
    expect(() => checkAuthFlags(withKeys(), '127.0.0.1', true)).toThrow('--insecure-no-auth contradicts cemcp.auth');
  });

  it('gives no hook without cemcp.auth, and an authenticating one with it', async () => {
    expect(await wireAuth({ config: config(), env: {}, host: '127.0.0.1', insecureNoAuth: false, logger: silentLogger })).toEqual({});
    const wired = await wireAuth({ config: withKeys(), env: { CI_KEY: 'k-123' }, host: '0.0.0.0', insecureNoAuth: false, logger: silentLogger });
    const request = (authorization: string) => ({ headers: { authorization } }) as never;
    expect(await wired.authenticate!(request('Bearer k-123'))).toMatchObject({ ok: true, principal: { subject: 'ci', source: 'api-key' } });
    expect(await wired.authenticate!(request('Bearer k-124'))).toMatchObject({ ok: false, status: 401 });
  });
});
