// PII detectors: email (also URL-encoded, `%40`), phone (E.164 and common national formats, US
// numbers with spaces), payment card (Luhn and a known issuer prefix), IBAN (mod 97), US SSN,
// IPv4/IPv6 (not loopback, unspecified or documentation ranges: not personal), and custom patterns
// from config. Pure; used by the session vault and the redactors in this folder. Each detector
// favours precision over recall.
import { BlockList, isIPv6 } from 'node:net';
import { ConfigError } from '../common/index.js';

export type BuiltinDetector = 'email' | 'phone' | 'card' | 'iban' | 'ssn' | 'ip';
export const BUILTIN_DETECTORS: readonly BuiltinDetector[] = ['email', 'card', 'iban', 'ssn', 'ip', 'phone'];

export interface CustomPattern {
  /** Token label, e.g. EMPLOYEE_ID -> [EMPLOYEE_ID_1]. */
  readonly name: string;
  /** A JavaScript regular expression source. */
  readonly pattern: string;
}

export interface Detector {
  /** Token label: EMAIL, PHONE, CARD, IBAN, SSN, IP or a custom name. */
  readonly label: string;
  readonly regex: RegExp;
  /** A second check of a regex match (checksums, digit counts); the match is PII when true. */
  readonly accept?: (match: string) => boolean;
}

const EMAIL = /(?<![\w.%+-])[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w-])/g;
// E.164 (+ and 8-15 digits, optional separators) or a national number with separators: (555) 123-4567,
// 555-123-4567, 415 555 0137 (area and exchange codes start 2-9), 020 7946 0958, 06 12 34 56 78.
// Plain digit runs without + are not phones here.
const PHONE = /(?<![\w+.-])(?:\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){1,5}[ .-]?\d{2,4}|\(\d{2,5}\)[ .-]?\d{2,4}[ .-]\d{2,5}|\d{3}[.-]\d{3}[.-]\d{4}|[2-9]\d{2} [2-9]\d{2} \d{4}|0\d{1,4}(?:[ .-]\d{2,4}){2,4})(?![\w.-]?\d)/g;
const CARD = /(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])/g;
const IBAN = /(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![\w])/g;
const SSN = /(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])/g;
const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;
// Not followed by '.': an IPv4-mapped address (::ffff:1.2.3.4) is judged by its IPv4 part.
const IPV6 = /(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:.])/g;

const digitsOf = (text: string): string => text.replace(/\D/g, '');

function isPhone(match: string): boolean {
  const digits = digitsOf(match).length;
  return digits >= 7 && digits <= 15;
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Visa, Mastercard, Amex, Discover, JCB, Diners: keeps timestamps and ids that pass Luhn out. */
const CARD_PREFIX = /^(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5|4[4-9])|35|3(?:0[0-5]|[68]))/;

function isCard(match: string): boolean {
  const digits = digitsOf(match);
  return digits.length >= 13 && digits.length <= 19 && CARD_PREFIX.test(digits) && passesLuhn(digits);
}

function isIban(match: string): boolean {
  const compact = match.replace(/ /g, '');
  if (compact.length < 15 || compact.length > 34) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** Loopback, unspecified and documentation addresses identify no one (and ops work needs them). */
const NOT_PERSONAL = new BlockList();
for (const [net, prefix] of [['127.0.0.0', 8], ['0.0.0.0', 32], ['192.0.2.0', 24], ['198.51.100.0', 24], ['203.0.113.0', 24]] as const) NOT_PERSONAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::1', 128], ['::', 128], ['2001:db8::', 32]] as const) NOT_PERSONAL.addSubnet(net, prefix, 'ipv6');

function isIp4(match: string): boolean {
  return !NOT_PERSONAL.check(match, 'ipv4');
}

function isIp6(match: string): boolean {
  return /[0-9A-Fa-f]/.test(match) && match.length >= 3 && isIPv6(match) && !NOT_PERSONAL.check(match, 'ipv6');
}

const BUILTIN: Record<BuiltinDetector, readonly Detector[]> = {
  email: [{ label: 'EMAIL', regex: EMAIL }],
  card: [{ label: 'CARD', regex: CARD, accept: isCard }],
  iban: [{ label: 'IBAN', regex: IBAN, accept: isIban }],
  ssn: [{ label: 'SSN', regex: SSN }],
  ip: [{ label: 'IP', regex: IPV4, accept: isIp4 }, { label: 'IP', regex: IPV6, accept: isIp6 }],
  phone: [{ label: 'PHONE', regex: PHONE, accept: isPhone }],
};

/** Detectors in the order they run: custom patterns first, then the built-ins (cards before phones). */
export function compileDetectors(enabled: readonly BuiltinDetector[], custom: readonly CustomPattern[] = []): Detector[] {
  const out: Detector[] = custom.map((c) => {
    try {
      return { label: c.name, regex: new RegExp(c.pattern, 'g') };
    } catch (cause) {
      throw new ConfigError('CONFIG_INVALID', `cemcp.privacy.custom.${c.name}: not a valid regular expression`, {}, { cause });
    }
  });
  for (const name of BUILTIN_DETECTORS) if (enabled.includes(name)) out.push(...BUILTIN[name]);
  return out;
}

export interface PiiMatch {
  readonly label: string;
  readonly value: string;
}

/**
 * Replaces every detected value in `text` with `replace(match)`. Detectors run in order, each on the
 * previous one's output, so a value is claimed once (a card number is never also a phone).
 */
export function replacePii(text: string, detectors: readonly Detector[], replace: (match: PiiMatch) => string): string {
  let out = text;
  for (const detector of detectors) {
    detector.regex.lastIndex = 0;
    out = out.replace(detector.regex, (value: string) => {
      if (value === '' || (detector.accept && !detector.accept(value))) return value;
      return replace({ label: detector.label, value });
    });
  }
  return out;
}

/** Cheap pre-check: text without '@', a digit or ':' holds no built-in PII (custom patterns aside). */
export function mayHoldPii(text: string, detectors: readonly Detector[]): boolean {
  return detectors.length > 0 && (detectors.some((d) => !['EMAIL', 'PHONE', 'CARD', 'IBAN', 'SSN', 'IP'].includes(d.label)) || /[@\d:]/.test(text));
}
