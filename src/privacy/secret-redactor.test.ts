import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLayer } from './echo-decoding.js';
import { base64Patterns, createSecretRedactor, SECRET_MARK } from './secret-redactor.js';
import { basicSecrets, credentialForms, envSecrets, headerSecrets } from './secret-sources.js';

const SECRET = 'oa/abc~!+ key&"é';

/** Every encoding an API may echo a value in (applied to the whole body that holds it). */
const ENCODINGS: Record<string, (text: string) => string> = {
  raw: (t) => t,
  json: (t) => JSON.stringify(t),
  phpJson: (t) => JSON.stringify(t).replace(/\//g, '\\/'),
  unicodeEscapes: (t) => [...t].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  percent: (t) => encodeURIComponent(t),
  percentLower: (t) => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  form: (t) => new URLSearchParams({ q: t }).toString(),
  doublePercent: (t) => encodeURIComponent(encodeURIComponent(t)),
  jsonOfPercent: (t) => JSON.stringify(encodeURIComponent(t)),
  html: (t) => t.replace(/[&<>"'~!/]/g, (c) => `&#${c.charCodeAt(0)};`),
  htmlHex: (t) => [...t].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join(''),
  htmlNamed: (t) => t.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;'),
  base64: (t) => Buffer.from(t).toString('base64'),
  base64url: (t) => Buffer.from(t).toString('base64url'),
  jsonOfBase64: (t) => JSON.stringify({ echoed: Buffer.from(t).toString('base64') }).replace(/\//g, '\\/'),
  base64OfPercent: (t) => Buffer.from(encodeURIComponent(t)).toString('base64'),
  base64OfForm: (t) => Buffer.from(new URLSearchParams({ key: t }).toString()).toString('base64url'),
};

/** True when `out` still carries `secret` in any of the encodings above (searched by decoding the output, base64 runs too). */
function stillHolds(out: string, secret: string, depth = 0): boolean {
  let layer = out;
  for (let i = 0; i < 4; i++) {
    if (layer.includes(secret) || layer.includes(secret.replace(/ /g, '+'))) return true;
    const patterns = base64Patterns(Buffer.from(secret, 'utf8'));
    if (patterns.some((p) => layer.includes(p))) return true;
    if (depth < 1) {
      for (const run of layer.match(/[A-Za-z0-9+/_-]{16,}/g) ?? []) {
        for (let o = 0; o < 4; o++) if (stillHolds(Buffer.from(run.slice(o), 'base64').toString('utf8'), secret, depth + 1)) return true;
      }
    }
    layer = decodeLayer(layer);
  }
  return false;
}

describe('secret redactor', () => {
  const redactor = createSecretRedactor([SECRET]);

  for (const [name, encode] of Object.entries(ENCODINGS)) {
    it(`removes a secret echoed ${name}`, () => {
      const body = `{"headers":{"authorization":"Bearer ${SECRET}","x":"y"}} and more`;
      const echoed = `prefix ${encode(body)} suffix`;
      expect(stillHolds(echoed, SECRET), 'the fixture must hold the secret').toBe(true);
      const out = redactor.redactText(echoed);
      expect(stillHolds(out, SECRET), out).toBe(false);
      expect(out.startsWith('prefix ') && out.endsWith(' suffix')).toBe(true);
    });
  }

  it('leaves text without a secret untouched (same string)', () => {
    const text = 'a %7E \\u0041 &amp; dGVzdA== plain';
    expect(redactor.redactText(text)).toBe(text);
    expect(redactor.finds(text)).toBe(false);
  });

  it('keeps the rest of a JSON-escaped body readable', () => {
    const out = redactor.redactText(JSON.stringify({ auth: `Bearer ${SECRET}`, pet: 'Rex' }).replace(/\//g, '\\/'));
    expect(JSON.parse(out)).toEqual({ auth: `Bearer ${SECRET_MARK}`, pet: 'Rex' });
  });

  it('redacts JSON values: strings, keys and numbers', () => {
    const numeric = createSecretRedactor(['48151623']);
    const value = { a: [1, 'x 48151623 y'], '48151623': 48151623, n: 7 };
    expect(numeric.redactValue(value)).toEqual({ a: [1, `x ${SECRET_MARK} y`], [SECRET_MARK]: SECRET_MARK, n: 7 });
    const clean = { a: [1, 'x'] };
    expect(numeric.redactValue(clean)).toBe(clean);
  });

  it('decodes a binary body, redacts it and re-encodes it', () => {
    const body = Buffer.concat([Buffer.from([0, 255, 1]), Buffer.from(`Authorization: Bearer ${SECRET}\r\n`), Buffer.from([7])]);
    const out = redactor.redactBase64(body.toString('base64'));
    const decoded = Buffer.from(out, 'base64');
    expect(decoded.toString('latin1')).toContain(`Bearer ${SECRET_MARK}`);
    expect(decoded.subarray(0, 3)).toEqual(Buffer.from([0, 255, 1]));
    const clean = Buffer.from('nothing here').toString('base64');
    expect(redactor.redactBase64(clean)).toBe(clean);
  });

  it('ignores values shorter than 6 characters', () => {
    expect(createSecretRedactor(['abc', 'abcde']).redactText('abc abcde')).toBe('abc abcde');
  });

  it('fuzz: a random secret in random text, in a random encoding, never survives', () => {
    const secretChar = fc.constantFrom(...Array.from('abcXYZ0129~!*()\'/+ =&%"\\<>?#@:;,.é€😀\n'));
    const secretArb = fc.array(secretChar, { minLength: 8, maxLength: 24 }).map((cs) => cs.join('')).filter((s) => !/^\s|\s$/.test(s));
    const textArb = fc.string({ unit: fc.constantFrom(...'ab XY09=/+&%\\"{}:,é-_'.split('')), maxLength: 40 });
    // Up to two text encodings in any order; base64 last, over at most one of the encodings an API applies before it.
    const textual = Object.keys(ENCODINGS).filter((name) => !/base64/i.test(name));
    const encodingArb = fc.oneof(
      fc.array(fc.constantFrom(...textual), { minLength: 1, maxLength: 2 }),
      fc.tuple(fc.constantFrom('raw', 'json', 'phpJson', 'percent', 'form'), fc.constantFrom('base64', 'base64url', 'jsonOfBase64')).map((pair) => [...pair]),
      fc.constantFrom('base64OfPercent', 'base64OfForm').map((name) => [name]),
    );
    fc.assert(
      fc.property(secretArb, textArb, textArb, encodingArb, (secret, before, after, encodings) => {
        const r = createSecretRedactor([secret]);
        let body = `${before}${secret}${after}`;
        for (const name of encodings) body = ENCODINGS[name]!(body);
        const out = r.redactText(`${before}${body}${after}`);
        return !stillHolds(out, secret);
      }),
      { numRuns: 400 },
    );
  });
});

describe('secret sources', () => {
  it('takes credential headers (and the credential after the scheme), not public ones', () => {
    const basic = Buffer.from('ada:pa55word').toString('base64');
    expect(headerSecrets({ Authorization: 'Bearer tok-123456', Accept: 'application/json', 'X-GitHub-Api-Version': '2022-11-28', 'X-Custom': 'xyz-987654' }))
      .toEqual(['Bearer tok-123456', 'tok-123456', 'xyz-987654']);
    expect(credentialForms(`Basic ${basic}`)).toEqual([`Basic ${basic}`, basic, ...basicSecrets('ada', 'pa55word')]);
    expect(basicSecrets('ada', 'pa55word')).toEqual(['pa55word', 'ada:pa55word', basic]);
    expect(envSecrets({ API_KEY: 'k-1', GITHUB_TOKEN: 'ghp_x1', PATH_PREFIX: 'p-2', DB_PASSWORD: 'hunter', SESSION_TTL: '3600', AUTH_ENABLED: 'true', KEY_FILE: '/etc/key.pem' }))
      .toEqual(['k-1', 'ghp_x1', 'hunter']);
  });
});
