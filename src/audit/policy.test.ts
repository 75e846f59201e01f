import { describe, expect, it } from 'vitest';
import { compilePrincipalMatch, LOCAL_PRINCIPAL, type Principal } from '../common/index.js';
import { parseConfigText } from '../config/index.js';
import { createPolicy, type PolicySettings } from './policy.js';

const target = (server: string, tool: string, destructive = false) => ({ server, tool, callName: `${server}.${tool}`, destructive });
const who = (subject: string, scopes: string[] = [], extra: Partial<Principal> = {}): Principal => ({ subject, scopes, source: 'oauth', issuer: 'https://as.example', ...extra });
const settings = (over: Partial<PolicySettings>): PolicySettings => ({ allow: [], deny: [], confirm: [], destructive: 'allow', ...over });

describe('principal match', () => {
  it('needs every given field to match; scope matches any granted scope; globs are case-sensitive', () => {
    const m = compilePrincipalMatch({ subject: 'svc-*', scope: 'team-a:*' });
    expect(m.text).toBe('subject "svc-*", scope "team-a:*"');
    expect(m.matches(who('svc-build', ['read', 'team-a:write']))).toBe(true);
    expect(m.matches(who('svc-build', ['read']))).toBe(false);
    expect(m.matches(who('SVC-build', ['team-a:x']))).toBe(false);
    expect(compilePrincipalMatch({ clientId: 'ci' }).matches(who('x'))).toBe(false); // no client id: no match
    expect(compilePrincipalMatch({ clientId: 'ci' }).matches(who('x', [], { clientId: 'ci' }))).toBe(true);
    expect(compilePrincipalMatch({ source: 'local' }).matches(LOCAL_PRINCIPAL)).toBe(true);
    expect(compilePrincipalMatch({ source: 'local' }).matches(who('local'))).toBe(false);
    expect(compilePrincipalMatch({ issuer: 'https://other/*' }).matches(who('a'))).toBe(false);
  });
});

describe('tool policy by principal', () => {
  const policy = createPolicy(settings({
    deny: ['shell'],
    confirm: ['crm.export_*'],
    principals: [
      { match: { scope: 'team-a' }, deny: ['crm.delete_*', 'fetch:*'] },
      { match: { scope: 'team-b' }, confirm: ['crm.*'] },
      { match: { subject: 'intern-*' }, allow: ['crm.find_*', 'crm.export_*'], destructive: 'deny' },
    ],
  }));

  it('denies for one team, asks another to confirm, and names the principal rule that decided', () => {
    const a = policy.forPrincipal(who('ann', ['team-a']));
    const b = policy.forPrincipal(who('bob', ['team-b']));
    expect(a.decide(target('crm', 'delete_contact'))).toEqual({ action: 'deny', rule: 'deny "crm.delete_*" (cemcp.policy.principals[0]: scope "team-a")' });
    expect(b.decide(target('crm', 'delete_contact'))).toEqual({ action: 'confirm', rule: 'confirm "crm.*" (cemcp.policy.principals[1]: scope "team-b")' });
    expect(a.decideFetch('https://api.example/')).toEqual({ action: 'deny', rule: 'deny "fetch:*" (cemcp.policy.principals[0]: scope "team-a")' });
    expect(b.decideFetch('https://api.example/')).toEqual({ action: 'allow', rule: 'default' });
    // Everyone else, and the policy as created (the local principal), sees the global lists only.
    expect(policy.decide(target('crm', 'delete_contact'))).toEqual({ action: 'allow', rule: 'default' });
    expect(policy.forPrincipal(who('carl', ['team-c'])).decide(target('crm', 'delete_contact'))).toEqual({ action: 'allow', rule: 'default' });
  });

  it('only tightens: global deny and confirm still win, with the global rule text', () => {
    const b = policy.forPrincipal(who('bob', ['team-b']));
    expect(b.decide(target('shell', 'run'))).toEqual({ action: 'deny', rule: 'deny "shell"' });
    expect(b.decide(target('crm', 'export_all'))).toEqual({ action: 'confirm', rule: 'confirm "crm.export_*"' });
    // A principal matching two rules gets both layers.
    const both = policy.forPrincipal(who('ann', ['team-a', 'team-b']));
    expect(both.decide(target('crm', 'delete_contact')).action).toBe('deny');
    expect(both.decide(target('crm', 'find_contact'))).toEqual({ action: 'confirm', rule: 'confirm "crm.*" (cemcp.policy.principals[1]: scope "team-b")' });
  });

  it("narrows with a principal's allow list and takes its stricter destructive setting", () => {
    const intern = policy.forPrincipal(who('intern-7', []));
    expect(intern.decide(target('crm', 'find_contact'))).toEqual({ action: 'allow', rule: 'allow "crm.find_*" (cemcp.policy.principals[2]: subject "intern-*")' });
    expect(intern.decide(target('crm', 'update_contact'))).toEqual({ action: 'deny', rule: 'allow list (no pattern matches) (cemcp.policy.principals[2]: subject "intern-*")' });
    const wider = createPolicy(settings({ allow: ['crm.*', 'memory.*'], principals: [{ match: { subject: 'intern-*' }, allow: ['crm.*'] }] }));
    expect(wider.forPrincipal(who('intern-1')).decide(target('memory', 'read_graph')).action).toBe('deny');
    expect(wider.forPrincipal(who('staff')).decide(target('memory', 'read_graph'))).toEqual({ action: 'allow', rule: 'allow "memory.*"' });
    // Global allow list refuses what it does not name, whatever a principal rule allows.
    expect(wider.forPrincipal(who('intern-1')).decide(target('fs', 'read'))).toEqual({ action: 'deny', rule: 'allow list (no pattern matches)' });
    const destructive = createPolicy(settings({ destructive: 'confirm', principals: [{ match: { source: 'api-key' }, destructive: 'deny' }, { match: { source: 'oauth' }, destructive: 'allow' }] }));
    expect(destructive.forPrincipal(who('k', [], { source: 'api-key' })).decide(target('fs', 'rm', true))).toEqual({ action: 'deny', rule: 'destructive: "deny" (cemcp.policy.principals[0]: source "api-key")' });
    // A looser principal setting does not loosen the global one.
    expect(destructive.forPrincipal(who('o')).decide(target('fs', 'rm', true))).toEqual({ action: 'confirm', rule: 'destructive: "confirm"' });
  });
});

describe('cemcp.policy.principals in the config', () => {
  const parse = (policy: unknown) => parseConfigText(JSON.stringify({ cemcp: { policy } }), '/cfg/mcp.json', {});
  it('reads rules and refuses one that matches nobody in particular or has a misspelled key', () => {
    const config = parse({ principals: [{ match: { scope: 'team-a' }, deny: ['crm.delete_*'] }] });
    expect(config.cemcp.policy.principals).toEqual([{ match: { scope: 'team-a' }, deny: ['crm.delete_*'] }]);
    expect(() => parse({ principals: [{ match: {}, deny: ['x'] }] })).toThrow(/cemcp\.policy\.principals\.0\.match: expected at least one of subject, clientId, scope, source, issuer/);
    expect(() => parse({ principals: [{ match: { scopes: 'a' } }] })).toThrow(/unknown key "scopes" \(did you mean "scope"\?\)/);
    expect(() => parse({ principals: [{ match: { source: 'jwt' } }] })).toThrow(/cemcp\.policy\.principals\.0\.match\.source/);
  });
});
