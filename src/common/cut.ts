// The mark of a cut made before the host's PII tokenizer saw the text (a tool error bounded by the
// bridge, a message clipped in the sandbox): the tokenizer drops the raw tail before each mark, so
// a value the cut split in half never shows its first half. Pure; imported by every stage.

/** Ends every text cut before tokenization; privacy/ drops the raw characters before it. */
export const CUT_MARK = '…[cut]';

/** `text` within `maxChars`, ending with CUT_MARK when it was cut (the mark is not counted). */
export function clipText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  // Never leave half of a surrogate pair.
  let end = Math.max(0, maxChars);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${CUT_MARK}`;
}
