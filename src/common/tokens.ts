// Token counting with a real tokenizer: gpt-tokenizer's o200k_base (GPT-4o family), the figure
// every budget and benchmark in cemcp uses. Pure. BPE is quadratic on one long pre-token (a run
// of a million `!`), so long runs are counted in pieces: linear time for any input. The encoder
// (~0.4 s and ~70 MB to load) is loaded on first use or by warmTokenizer(), never at import.
import { createRequire } from 'node:module';
import type * as O200k from 'gpt-tokenizer/encoding/o200k_base';

export const TOKENIZER_NAME = 'o200k_base (gpt-tokenizer)';

/** Characters per token are rarely above this; used to cut huge text before encoding it. */
const MAX_CHARS_PER_TOKEN = 12;
/** Runs of non-space (or of space) longer than this are split before encoding. */
const MAX_RUN_CHARS = 256;
const LONG_RUN_SOURCE = `\\S{${MAX_RUN_CHARS + 1},}|\\s{${MAX_RUN_CHARS + 1},}`;
const HAS_LONG_RUN = new RegExp(LONG_RUN_SOURCE);
/** Beyond this many characters, counts are extrapolated from a prefix of this size. */
const EXACT_COUNT_CHARS = 400_000;

type Encoder = Pick<typeof O200k, 'countTokens' | 'encode' | 'decode'>;

let encoder: Encoder | undefined;

/** The encoder, loaded synchronously on first use (its CommonJS build: `require` is synchronous). */
function o200k(): Encoder {
  encoder ??= createRequire(import.meta.url)('gpt-tokenizer/encoding/o200k_base') as Encoder;
  return encoder;
}

/** True once the encoder is in memory (a count then costs no load). */
export function tokenizerLoaded(): boolean {
  return encoder !== undefined;
}

/**
 * Loads the encoder after `delayMs`, off the path of whatever is answering now (the load blocks
 * the event loop while it runs). Resolves once it is loaded; the timer never holds the process open.
 */
export function warmTokenizer(delayMs = 0): Promise<void> {
  if (encoder) return Promise.resolve();
  return new Promise((resolve) => {
    setTimeout(() => {
      try {
        o200k();
      } catch {
        // A broken install fails again, with its own error, where a count is needed.
      }
      resolve();
    }, delayMs).unref();
  });
}

/** `text` as pieces whose concatenation is `text`, none holding a run over MAX_RUN_CHARS. */
function pieces(text: string): string[] {
  if (!HAS_LONG_RUN.test(text)) return [text];
  const out: string[] = [];
  let last = 0;
  for (const match of text.matchAll(new RegExp(LONG_RUN_SOURCE, 'g'))) {
    const start = match.index ?? 0;
    if (start > last) out.push(text.slice(last, start));
    for (let i = 0; i < match[0].length; i += MAX_RUN_CHARS) out.push(match[0].slice(i, i + MAX_RUN_CHARS));
    last = start + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Exact for ordinary text; long runs are counted in pieces (a few tokens more, never a stall). */
export function countTokens(text: string): number {
  if (text === '') return 0;
  const { countTokens: count } = o200k();
  let total = 0;
  for (const piece of pieces(text)) total += count(piece);
  return total;
}

/** Like countTokens, but past EXACT_COUNT_CHARS it extrapolates from the prefix: bounded time. */
export function estimateTokens(text: string): number {
  if (text.length <= EXACT_COUNT_CHARS) return countTokens(text);
  return Math.round(countTokens(text.slice(0, EXACT_COUNT_CHARS)) * (text.length / EXACT_COUNT_CHARS));
}

/** The longest prefix of `text` within `maxTokens` tokens, and the token count of the whole. */
export function truncateToTokens(text: string, maxTokens: number): { text: string; totalTokens: number; cut: boolean } {
  const preCut = text.length > maxTokens * MAX_CHARS_PER_TOKEN * 4;
  const sample = preCut ? text.slice(0, maxTokens * MAX_CHARS_PER_TOKEN * 4) : text;
  const { encode, decode } = o200k();
  const tokens: number[] = [];
  for (const piece of pieces(sample)) tokens.push(...encode(piece));
  const totalTokens = preCut ? estimateTokens(text) : tokens.length;
  if (tokens.length <= maxTokens && !preCut) return { text, totalTokens, cut: false };
  return { text: decode(tokens.slice(0, Math.max(0, maxTokens))), totalTokens, cut: true };
}
