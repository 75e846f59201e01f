import { describe, expect, it } from 'vitest';
import { resolveMetricsToken } from './ops-wiring.js';

describe('resolveMetricsToken', () => {
  it('reads the token from the variable the config names', () => {
    expect(resolveMetricsToken('${METRICS_TOKEN}', '/cfg/mcp.json', { METRICS_TOKEN: 'x'.repeat(32) })).toBe('x'.repeat(32));
  });

  it('refuses an unset, empty or short token, naming the file and the key', () => {
    expect(() => resolveMetricsToken('${METRICS_TOKEN}', '/cfg/mcp.json', {})).toThrow(/\/cfg\/mcp\.json: cemcp\.metrics\.token/);
    expect(() => resolveMetricsToken('${METRICS_TOKEN}', '/cfg/mcp.json', { METRICS_TOKEN: '' })).toThrow('/cfg/mcp.json: cemcp.metrics.token: environment variable METRICS_TOKEN is not set');
    expect(() => resolveMetricsToken('${METRICS_TOKEN}', '/cfg/mcp.json', { METRICS_TOKEN: 'short' })).toThrow('/cfg/mcp.json: cemcp.metrics.token: the token in ${METRICS_TOKEN} is shorter than 16 characters; set it to a long random value (e.g. openssl rand -hex 32)');
  });
});
