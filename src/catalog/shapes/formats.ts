// Recognises the string formats a learned shape may carry (date-time, date, uuid, email, uri).
// Each test is a strict subset of ajv-formats' "full" definition of that format, so a shape that
// says `format: "date"` validates its samples there too. Pure; imported by catalog/shapes/ only.
import type { StringFormat } from './shape.js';

const MAX_FORMAT_LENGTH = 2_048;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const UUID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
const PCHAR = "(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})";
const HOST = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*';
const URI = new RegExp(`^https?://${HOST}(?::\\d{1,5})?(?:/${PCHAR}*)*(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?$`, 'i');
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The format every string of this kind has, or undefined. */
export function detectFormat(text: string): StringFormat | undefined {
  if (text.length === 0 || text.length > MAX_FORMAT_LENGTH) return undefined;
  const first = text.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    if (isDate(text)) return 'date';
    if (isDateTime(text)) return 'date-time';
  }
  if (text.length === 36 && UUID.test(text)) return 'uuid';
  if (text.includes('@') && text.length <= 254 && EMAIL.test(text)) return 'email';
  if ((first === 104 || first === 72) && URI.test(text)) return 'uri';
  return undefined;
}

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : (DAYS[month] ?? 0));
}

function isDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m || !isDate(m[1] ?? '')) return false;
  const [hour, minute, second, zoneHour, zoneMinute] = [m[2], m[3], m[4], m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number];
  return hour <= 23 && minute <= 59 && second <= 59 && zoneHour <= 23 && zoneMinute <= 59;
}
