import { describe, expect, it } from 'vitest';
import { CUT_MARK } from '../common/index.js';
import { BUILTIN_DETECTORS, compileDetectors, replacePii } from './detectors.js';
import { createPiiVault } from './pii-vault.js';
import { createPrivacy, type PrivacySettings } from './pii-session.js';
import { createRedactor } from './redact.js';
import { createSecretRedactor } from './secret-redactor.js';

const settings = (over: Partial<PrivacySettings> = {}): PrivacySettings => ({
  enabled: true, detectors: BUILTIN_DETECTORS, custom: [], servers: {}, maxEntries: 100, ...over,
});
const labels = (text: string): string[] => {
  const found: string[] = [];
  replacePii(text, compileDetectors(BUILTIN_DETECTORS), ({ label, value }) => {
    found.push(`${label}:${value}`);
    return '';
  });
  return found;
};

describe('PII detectors', () => {
  it('finds emails, phones, cards, IBANs, SSNs and IP addresses', () => {
    expect(labels('mail ada.lovelace+crm@example.co.uk now')).toEqual(['EMAIL:ada.lovelace+crm@example.co.uk']);
    expect(labels('call +44 20 7946 0958 or (555) 123-4567 or 555-123-4567 or 06 12 34 56 78 or +14155552671'))
      .toEqual(['PHONE:+44 20 7946 0958', 'PHONE:(555) 123-4567', 'PHONE:555-123-4567', 'PHONE:06 12 34 56 78', 'PHONE:+14155552671']);
    expect(labels('card 4111 1111 1111 1111 and 4111111111111112')).toEqual(['CARD:4111 1111 1111 1111']);
    expect(labels('iban GB82 WEST 1234 5698 7654 32 or DE89370400440532013000')).toEqual(['IBAN:GB82 WEST 1234 5698 7654 32', 'IBAN:DE89370400440532013000']);
    expect(labels('ssn 123-45-6789')).toEqual(['SSN:123-45-6789']);
    expect(labels('000-12-3456').filter((l) => l.startsWith('SSN'))).toEqual([]);
    expect(labels('from 192.168.1.20 and 2a00:1450:4001:82a::200e')).toEqual(['IP:192.168.1.20', 'IP:2a00:1450:4001:82a::200e']);
  });

  it('finds US phones written with spaces and URL-encoded e-mails', () => {
    expect(labels('call 415 555 0137 today')).toEqual(['PHONE:415 555 0137']);
    expect(labels('/users?email=ada.lovelace%40example.com&x=1')).toEqual(['EMAIL:ada.lovelace%40example.com']);
    expect(labels('in 2023 we sold 100 200 3000 units')).toEqual([]);
  });

  it('leaves loopback, unspecified and documentation addresses alone (not personal)', () => {
    const text = 'connect ECONNREFUSED 127.0.0.1:5432, ::1, 0.0.0.0, 192.0.2.10, 198.51.100.7, 203.0.113.99, 2001:db8::8a2e:370:7334, ::ffff:127.0.0.1';
    expect(labels(text)).toEqual([]);
    expect(labels('client 10.0.0.7 and ::ffff:8.8.8.8')).toEqual(['IP:10.0.0.7', 'IP:8.8.8.8']);
  });

  it('leaves dates, times, versions, timestamps, ids and plain numbers alone', () => {
    const text = 'on 2024-01-15 at 12:30:45, v1.2.3, ts 1700000000000, id 1234567890, total 12345.67, std::vector, [1234567, 8901234]';
    expect(labels(text)).toEqual([]);
  });

  it('runs custom patterns from config first', () => {
    const detectors = compileDetectors(['email'], [{ name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}' }]);
    expect(replacePii('EMP-123456 a@b.io', detectors, ({ label }) => `<${label}>`)).toBe('<EMPLOYEE_ID> <EMAIL>');
  });
});

describe('PII tokenization in a session', () => {
  it('gives each distinct value a stable token, and restores it in tool arguments', () => {
    const session = createPrivacy(settings()).openSession()!;
    const run = session.beginRun();
    const out = run.tokenizeJson(JSON.stringify([{ email: 'ada@example.com', phone: '+44 20 7946 0958' }, { email: 'ada@example.com' }]));
    expect(out).toBe('[{"email":"[EMAIL_1]","phone":"[PHONE_1]"},{"email":"[EMAIL_1]"}]');
    expect(run.tokenizeText('log: grace@example.org wrote to ada@example.com')).toBe('log: [EMAIL_2] wrote to [EMAIL_1]');
    const later = session.beginRun();
    expect(later.restoreArguments('crm', { to: '[EMAIL_1]', body: 'Hi, call [PHONE_1] or [PHONE_9]', list: ['[EMAIL_2]'] }))
      .toEqual({ to: 'ada@example.com', body: 'Hi, call +44 20 7946 0958 or [PHONE_9]', list: ['grace@example.org'] });
    expect(run.counts()).toEqual({ tokenized: { EMAIL: 4, PHONE: 1 }, restored: 0 });
    expect(later.counts().restored).toBe(3);
  });

  it('keeps sessions apart and forgets everything on close', () => {
    const privacy = createPrivacy(settings());
    const a = privacy.openSession()!;
    const b = privacy.openSession()!;
    a.beginRun().tokenizeText('ada@example.com');
    expect(b.beginRun().restoreArguments('crm', { to: '[EMAIL_1]' })).toEqual({ to: '[EMAIL_1]' });
    a.close();
    expect(a.size).toBe(0);
    expect(a.beginRun().restoreArguments('crm', { to: '[EMAIL_1]' })).toEqual({ to: '[EMAIL_1]' });
  });

  it('honours per-server switches: tokenize off for non-personal data, restore off for a sink', () => {
    const privacy = createPrivacy(settings({ servers: { ops: { tokenize: false, restore: true }, public: { tokenize: true, restore: false } } }));
    const run = privacy.openSession()!.beginRun();
    run.observeResult('ops', JSON.stringify({ host: '10.0.0.7' }));
    expect(run.tokenizeText('host 10.0.0.7, user ada@example.com')).toBe('host 10.0.0.7, user [EMAIL_1]');
    expect(run.restoreArguments('public', { q: '[EMAIL_1]' })).toEqual({ q: '[EMAIL_1]' });
  });

  it('scopes a tokenize: false exemption: a value a tokenizing server also returned is tokenized', () => {
    const privacy = createPrivacy(settings({ servers: { ops: { tokenize: false, restore: true } } }));
    const run = privacy.openSession()!.beginRun();
    run.observeResult('ops', JSON.stringify({ owner: 'ada@example.com', host: '10.0.0.7' }));
    run.observeResult('crm', JSON.stringify({ email: 'ada@example.com' }));
    expect(run.tokenizeText('ada@example.com on 10.0.0.7')).toBe('[EMAIL_1] on 10.0.0.7');
  });

  it('tokenizes JSON numbers that are PII by themselves or by their field name', () => {
    const run = createPrivacy(settings()).openSession()!.beginRun();
    const out = JSON.parse(run.tokenizeJson(JSON.stringify({ card: 4111111111111111, phone: 14155550137, ssn: 123456789, customer_ssn: '123456789', count: 4111111111111111, id: 1234567, total: 99.5 })));
    expect(out).toEqual({ card: '[CARD_1]', phone: '[PHONE_1]', ssn: '[SSN_1]', customer_ssn: '[SSN_1]', count: '[CARD_1]', id: 1234567, total: 99.5 });
  });

  it('tokenizes before it bounds: a value a cut split in half shows no raw prefix', () => {
    const run = createPrivacy(settings()).openSession()!.beginRun();
    const out = run.tokenizeText(`first grace@example.org, then ${'some words '.repeat(8)}ada.lovelace@analytical-eng${CUT_MARK} and more`);
    expect(out).toBe(`first [EMAIL_1], then ${'some words '.repeat(4)}some ${CUT_MARK} and more`);
    expect(run.tokenizeText(`${'word '.repeat(40)}call 415 555 01${CUT_MARK}`)).toBe(`${'word '.repeat(30)}${CUT_MARK}`);
  });

  it('is off when disabled', () => {
    expect(createPrivacy(settings({ enabled: false })).openSession()).toBeUndefined();
  });

  it('keeps a "__proto__" key a plain key', () => {
    const run = createPrivacy(settings()).openSession()!.beginRun();
    const restored = run.restoreArguments('x', JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(restored)).toBe(Object.prototype);
    expect(Object.keys(restored)).toEqual(['__proto__']);
  });
});

describe('PII vault', () => {
  it('is bounded: forgets the least recently used value and never reuses a token number', () => {
    const vault = createPiiVault({ maxEntries: 2 });
    expect(vault.tokenFor('EMAIL', 'a@x.io')).toBe('[EMAIL_1]');
    expect(vault.tokenFor('EMAIL', 'b@x.io')).toBe('[EMAIL_2]');
    expect(vault.valueOf('[EMAIL_1]')).toBe('a@x.io'); // a is now the most recent
    expect(vault.tokenFor('EMAIL', 'c@x.io')).toBe('[EMAIL_3]');
    expect(vault.size).toBe(2);
    expect(vault.valueOf('[EMAIL_2]')).toBeUndefined();
    expect(vault.tokenFor('EMAIL', 'b@x.io')).toBe('[EMAIL_4]');
  });

  it('exports its state as JSON and merges it into another vault: same tokens, numbering goes on', () => {
    const first = createPiiVault({ maxEntries: 10 });
    first.tokenFor('EMAIL', 'a@x.io');
    first.tokenFor('PHONE', '+1 555 0100');
    const state = JSON.parse(JSON.stringify(first.exportState())) as unknown;
    const second = createPiiVault({ maxEntries: 10 });
    second.mergeState(state);
    expect(second.version).toBe(1);
    expect(second.valueOf('[EMAIL_1]')).toBe('a@x.io');
    expect(second.tokenFor('PHONE', '+1 555 0100')).toBe('[PHONE_1]');
    expect(second.tokenFor('EMAIL', 'b@x.io')).toBe('[EMAIL_2]');
    second.mergeState(state); // nothing new: no change to write
    expect(second.version).toBe(2);
  });

  it('keeps a second token of a value restorable, and revokes a token that means two values', () => {
    const here = createPiiVault({ maxEntries: 10 });
    here.tokenFor('EMAIL', 'a@x.io'); // [EMAIL_1]
    here.tokenFor('EMAIL', 'b@x.io'); // [EMAIL_2]
    here.mergeState({ v: 1, counters: { EMAIL: 3 }, entries: [['[EMAIL_1]', 'a@x.io'], ['[EMAIL_2]', 'z@x.io'], ['[EMAIL_3]', 'a@x.io']], revoked: [] });
    expect(here.valueOf('[EMAIL_3]')).toBe('a@x.io');
    expect(here.valueOf('[EMAIL_2]')).toBeUndefined();
    expect(here.exportState().revoked).toEqual(['[EMAIL_2]']);
    expect(here.tokenFor('EMAIL', 'b@x.io')).toBe('[EMAIL_4]'); // b lost its token with the revocation
  });

  it('ignores a stored state it does not understand', () => {
    const vault = createPiiVault({ maxEntries: 10 });
    for (const bad of [null, 'x', { v: 2, counters: {}, entries: [['[EMAIL_1]', 'a@x.io']], revoked: [] },
      { v: 1, counters: {}, entries: [['EMAIL_1', 'a@x.io'], ['[EMAIL_1]', 7], 'junk'], revoked: [] }]) vault.mergeState(bad);
    expect(vault.size).toBe(0);
    expect(vault.version).toBe(0);
  });
});

describe('redactor', () => {
  it('replaces PII with bare labels and secrets with [SECRET]', () => {
    const redact = createRedactor({ detectors: compileDetectors(BUILTIN_DETECTORS), secrets: createSecretRedactor(['s3cr3t-config-value', 'abc']) });
    const code = [
      `const key = "sk-proj-abcdefghijklmnop1234";`,
      `await gh.call({ headers: { Authorization: 'Bearer abcdefgh12345678' }, password: "hunter22" });`,
      `console.log('sent with Bearer zyxwvuts87654321');`,
      `await crm.send({ to: 'ada@example.com', note: 's3cr3t-config-value', phone: '+44 20 7946 0958', abc: 1 });`,
    ].join('\n');
    const out = redact(code);
    expect(out).not.toMatch(/sk-proj|abcdefgh12345678|zyxwvuts|hunter22|ada@example|s3cr3t|7946/);
    expect(out).toContain(`Authorization: '[SECRET]'`);
    expect(out).toContain(`to: '[EMAIL]'`);
    expect(out).toContain('Bearer [SECRET]');
    expect(out).toContain('password: "[SECRET]"');
    expect(out).toContain('abc: 1');
  });
});
