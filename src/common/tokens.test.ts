import { describe, expect, it } from 'vitest';
import { countTokens, estimateTokens, tokenizerLoaded, truncateToTokens, warmTokenizer } from './tokens.js';

// First in the file: nothing here has counted yet.
describe('loading the tokenizer', () => {
  it('loads nothing at import, and nothing to count an empty text', () => {
    expect(countTokens('')).toBe(0);
    expect(tokenizerLoaded()).toBe(false);
  });

  it('loads it when warmed, after the delay', async () => {
    const warmed = warmTokenizer(20);
    expect(tokenizerLoaded()).toBe(false);
    await warmed;
    expect(tokenizerLoaded()).toBe(true);
    await warmTokenizer(60_000); // already loaded: resolves at once, no timer to wait for
    expect(countTokens('Hello world')).toBe(2);
  });
});

describe('tokens', () => {
  it('counts ordinary text exactly', () => {
    expect(countTokens('Hello world')).toBe(2);
    expect(countTokens('')).toBe(0);
  });

  it('counts a huge single-character run in linear time, not quadratic', () => {
    const started = performance.now();
    const count = countTokens('!'.repeat(1_000_000));
    expect(count).toBeGreaterThan(1_000);
    // A quadratic BPE takes minutes here; pieces keep it well under a second on any machine.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('truncates to the budget and reports the whole size', () => {
    const out = truncateToTokens('word '.repeat(1_000), 10);
    expect(out.cut).toBe(true);
    expect(countTokens(out.text)).toBeLessThanOrEqual(10);
    expect(out.totalTokens).toBe(countTokens('word '.repeat(1_000)));
    expect(truncateToTokens('short', 10)).toEqual({ text: 'short', totalTokens: 1, cut: false });
  });

  it('estimates very long text from a prefix', () => {
    const estimate = estimateTokens('word '.repeat(200_000));
    expect(Math.abs(estimate - 200_000)).toBeLessThan(2_000);
  });
});
