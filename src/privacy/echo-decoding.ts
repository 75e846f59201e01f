// One layer of the encodings an echoed value comes back in: JSON escapes (`\/`, `\"`, `\uXXXX`),
// URL percent-encoding (UTF-8 sequences), HTML character references. Answers the decoded text and,
// on request, where each decoded unit came from. Pure; used by secret-redactor.ts only.

/** An escape, a run of %XX bytes, or an HTML character reference. */
const ESCAPE = /\\u[0-9A-Fa-f]{4}|\\["\\/bfnrt]|(?:%[0-9A-Fa-f]{2})+|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|amp|lt|gt|quot|apos);/g;
const MAY_ESCAPE = /[\\%&]/;
const JSON_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export interface DecodedLayer {
  readonly text: string;
  /** starts[i]: the input offset where decoded unit i begins; starts[text.length] = input length. */
  readonly starts: Int32Array;
}

/** True when `text` holds something one decoding layer would change. */
export function mayDecode(text: string): boolean {
  return MAY_ESCAPE.test(text);
}

/** The text with one layer of escapes decoded (fast path: no offsets). */
export function decodeLayer(text: string): string {
  if (!mayDecode(text)) return text;
  ESCAPE.lastIndex = 0;
  return text.replace(ESCAPE, decodeEscape);
}

/** The decoded text with the offset of every decoded unit in `text`. */
export function decodeLayerWithOffsets(text: string): DecodedLayer {
  const parts: string[] = [];
  // A layer never grows: one slot per input character (plus the end) is enough.
  const starts = new Int32Array(text.length + 1);
  let units = 0;
  let last = 0;
  const plain = (from: number, to: number): void => {
    if (to <= from) return;
    parts.push(text.slice(from, to));
    for (let i = from; i < to; i++) starts[units++] = i;
  };
  ESCAPE.lastIndex = 0;
  for (let match = ESCAPE.exec(text); match; match = ESCAPE.exec(text)) {
    plain(last, match.index);
    for (const piece of decodePieces(match[0])) {
      parts.push(piece.text);
      // Every unit of a piece (a surrogate pair) starts where the piece starts.
      for (let u = 0; u < piece.text.length; u++) starts[units++] = match.index + piece.offset;
    }
    last = match.index + match[0].length;
  }
  plain(last, text.length);
  starts[units] = text.length;
  return { text: parts.join(''), starts: starts.subarray(0, units + 1) };
}

/** One escape decoded, without building pieces for the common one-character cases. */
function decodeEscape(escape: string): string {
  const first = escape.charCodeAt(0);
  if (first === 0x5c /* \ */) return escape[1] === 'u' ? String.fromCharCode(parseInt(escape.slice(2), 16)) : JSON_ESCAPES[escape[1] ?? ''] ?? escape;
  if (first === 0x26 /* & */) return decodeEntity(escape);
  if (escape.length === 3) {
    const byte = parseInt(escape.slice(1), 16);
    if (byte < 0x80) return String.fromCharCode(byte);
  }
  return decodePieces(escape).map((p) => p.text).join('');
}

interface Piece {
  readonly text: string;
  /** Offset of the piece inside the escape it came from. */
  readonly offset: number;
}

function decodePieces(escape: string): Piece[] {
  if (escape.startsWith('\\u')) return [{ text: String.fromCharCode(parseInt(escape.slice(2), 16)), offset: 0 }];
  if (escape.startsWith('\\')) return [{ text: JSON_ESCAPES[escape[1] ?? ''] ?? escape, offset: 0 }];
  if (escape.startsWith('&')) return [{ text: decodeEntity(escape), offset: 0 }];
  return decodePercentRun(escape);
}

function decodeEntity(entity: string): string {
  const body = entity.slice(1, -1);
  if (!body.startsWith('#')) return ENTITIES[body] ?? entity;
  const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
}

/** `%E2%82%AC%41` -> '€' (offset 0), 'A' (offset 9); bytes that are not valid UTF-8 decode as Latin-1. */
function decodePercentRun(run: string): Piece[] {
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i += 3) bytes.push(parseInt(run.slice(i + 1, i + 3), 16));
  const out: Piece[] = [];
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i] ?? 0;
    const size = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 && lead < 0xe0 ? 2 : 1;
    const sequence = bytes.slice(i, i + size);
    const valid = size > 1 && sequence.length === size && sequence.slice(1).every((b) => (b & 0xc0) === 0x80);
    if (valid) {
      out.push({ text: Buffer.from(sequence).toString('utf8'), offset: i * 3 });
      i += size;
    } else {
      out.push({ text: String.fromCharCode(lead), offset: i * 3 });
      i += 1;
    }
  }
  return out;
}
