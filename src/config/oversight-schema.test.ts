import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.js';

describe('cemcp.privacy, cemcp.audit and cemcp.policy', () => {
  it('defaults to tokenization on, an audit log beside the config, and everything allowed', () => {
    const { cemcp } = parseConfig({}, 'mcp.json');
    expect(cemcp.privacy).toMatchObject({ enabled: true, detectors: ['email', 'phone', 'card', 'iban', 'ssn', 'ip'], custom: [], maxEntries: 10_000 });
    expect(cemcp.audit).toMatchObject({ enabled: true, dir: '.cemcp/audit', redact: true, retentionDays: 30, flags: { maxCalls: 50 } });
    expect(cemcp.policy).toEqual({ allow: [], deny: [], confirm: [], destructive: 'allow' });
  });

  it('fills per-server privacy switches and names bad values by path', () => {
    const { cemcp } = parseConfig({ cemcp: { privacy: { servers: { metrics: { tokenize: false } } } } }, 'mcp.json');
    expect(cemcp.privacy.servers.metrics).toEqual({ tokenize: false, restore: true });
    expect(() => parseConfig({ cemcp: { privacy: { custom: [{ name: 'EMP', pattern: '(' }] } } }, 'mcp.json'))
      .toThrow(/mcp\.json: cemcp\.privacy\.custom\.0\.pattern: expected a JavaScript regular expression/);
    expect(() => parseConfig({ cemcp: { policy: { destructive: 'ask' } } }, 'mcp.json')).toThrow(/cemcp\.policy\.destructive/);
  });
});
