// A cut made before tokenization (CUT_MARK) may split a PII value: the detectors miss its first
// half. After tokenizing, the text right before each mark is dropped — the last CUT_GUARD_CHARS
// (never half a token), then a trailing run of e-mail characters — so no prefix of a value the
// cut split survives. Pure; used by pii-session.ts (tokenize, then bound).
import { CUT_MARK } from '../common/index.js';

/** Longer than any built-in value with separators (card, IBAN, phone, IPv6); e-mails are handled by their run. */
const CUT_GUARD_CHARS = 64;
/** The longest e-mail address (RFC 5321 path limit). */
const MAX_EMAIL_CHARS = 320;
/** A token or a redaction label: `[EMAIL_1]`, `[EMAIL]`, `[SECRET]`. */
const TOKEN = /\[[A-Z][A-Z0-9_]*\]/g;
const EMAIL_CHAR = /[A-Za-z0-9._%+@-]/;

/** `tokenized` with the raw tail before every CUT_MARK dropped (tokens are never split). */
export function dropCutTails(tokenized: string): string {
  if (!tokenized.includes(CUT_MARK)) return tokenized;
  const parts = tokenized.split(CUT_MARK);
  return parts.map((part, i) => (i < parts.length - 1 ? dropTail(part) : part)).join(CUT_MARK);
}

function dropTail(segment: string): string {
  // The last CUT_GUARD_CHARS go whatever they hold: a split value may have been tokenized in part
  // (`+44 [PHONE_1]`), and its tokenized form is never longer than its raw form.
  let end = Math.max(0, segment.length - CUT_GUARD_CHARS);
  TOKEN.lastIndex = 0;
  for (const match of segment.matchAll(TOKEN)) {
    if (match.index < end && match.index + match[0].length > end) end = match.index; // never half a token
  }
  const lowest = Math.max(0, end - MAX_EMAIL_CHARS);
  while (end > lowest && EMAIL_CHAR.test(segment[end - 1] ?? '')) end--;
  return segment.slice(0, end);
}
