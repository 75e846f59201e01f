// Tokenize, then bound: a PII value that a cut before tokenization split in half must not show
// its first half. Property-tested over the built-in value shapes, cut at every possible place.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUT_MARK } from '../common/index.js';
import { BUILTIN_DETECTORS } from './detectors.js';
import { createPrivacy } from './pii-session.js';

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
const lower = (min: number, max: number) => fc.array(fc.constantFrom(...'abcdefghijk0123456789'.split('')), { minLength: min, maxLength: max }).map((c) => c.join(''));

function luhnComplete(body: string): string {
  for (let check = 0; check < 10; check++) {
    const candidate = body + check;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let d = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 === 0) return candidate;
  }
  return body + '0';
}

/** Values every built-in detector recognizes, in the shapes that carry separators. */
const piiValue = fc.oneof(
  fc.tuple(lower(1, 30), lower(1, 20), fc.constantFrom('com', 'co.uk', 'org', 'engineering')).map(([l, d, t]) => `a${l}@b${d}.${t}`),
  fc.tuple(lower(1, 30), lower(1, 20)).map(([l, d]) => `a${l}%40b${d}.com`),
  fc.tuple(fc.integer({ min: 200, max: 999 }), fc.integer({ min: 200, max: 999 }), digits(4)).map(([a, b, c]) => `${a} ${b} ${c}`),
  fc.tuple(digits(2), digits(2), digits(4)).map(([a, b, c]) => `+44 ${a} ${b}${c.slice(0, 2)} ${c}`),
  digits(14).map((d) => luhnComplete(`4${d}`)).map((c) => c.replace(/(\d{4})(?=\d)/g, '$1 ')),
  fc.tuple(fc.integer({ min: 100, max: 665 }), fc.integer({ min: 10, max: 99 }), fc.integer({ min: 1000, max: 9999 })).map(([a, b, c]) => `${a}-${b}-${c}`),
  fc.tuple(fc.integer({ min: 11, max: 99 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map(([a, b, c]) => `${a}.${b}.7.${c}`),
  fc.constant('GB82 WEST 1234 5698 7654 32'),
);
/** Filler text that shares no 4-character run with any value above. */
const filler = fc.array(fc.constantFrom('tux', 'vwy', 'yzt', ', ', '; ', ' = ', '\n', '"', '(', ')', ' '), { maxLength: 30 }).map((w) => w.join(' '));

describe('cut tails', () => {
  it('fuzz: a PII value cut anywhere before tokenization shows no raw prefix longer than 3 characters', () => {
    const privacy = createPrivacy({ enabled: true, detectors: BUILTIN_DETECTORS, custom: [], servers: {}, maxEntries: 1000 });
    fc.assert(
      fc.property(filler, piiValue, piiValue, fc.nat(), filler, (before, whole, value, at, after) => {
        const run = privacy.openSession()!.beginRun();
        const k = 1 + (at % (value.length - 1));
        const out = run.tokenizeText(`${before} ${whole} tux; ${before}${value.slice(0, k)}${CUT_MARK}${after}`);
        for (let j = 4; j <= k; j++) if (out.includes(value.slice(0, j))) return false;
        // The whole value before the cut is never raw (a token, or dropped with the guard tail).
        return !out.includes(whole);
      }),
      { numRuns: 600 },
    );
  });

  it('drops nothing when there is no cut mark', () => {
    const run = createPrivacy({ enabled: true, detectors: BUILTIN_DETECTORS, custom: [], servers: {}, maxEntries: 10 }).openSession()!.beginRun();
    expect(run.tokenizeText('mail ada@example.com now')).toBe('mail [EMAIL_1] now');
  });
});
