// Token counting with a real tokenizer: gpt-tokenizer's o200k_base (GPT-4o family), the figure
// every budget and benchmark in cemcp uses. Pure.
import { countTokens as countO200k, decode, encode } from 'gpt-tokenizer/encoding/o200k_base';

export const TOKENIZER_NAME = 'o200k_base (gpt-tokenizer)';

/** Characters per token are rarely above this; used to cut huge text before encoding it. */
const MAX_CHARS_PER_TOKEN = 12;

export function countTokens(text: string): number {
  return countO200k(text);
}

/** The longest prefix of `text` within `maxTokens` tokens, and the token count of the whole. */
export function truncateToTokens(text: string, maxTokens: number): { text: string; totalTokens: number; cut: boolean } {
  const preCut = text.length > maxTokens * MAX_CHARS_PER_TOKEN * 4;
  const sample = preCut ? text.slice(0, maxTokens * MAX_CHARS_PER_TOKEN * 4) : text;
  const tokens = encode(sample);
  // Past the pre-cut, estimate the whole from the sample's density rather than encode megabytes.
  const totalTokens = preCut ? Math.round(tokens.length * (text.length / sample.length)) : tokens.length;
  if (tokens.length <= maxTokens && !preCut) return { text, totalTokens, cut: false };
  return { text: decode(tokens.slice(0, Math.max(0, maxTokens))), totalTokens, cut: true };
}
