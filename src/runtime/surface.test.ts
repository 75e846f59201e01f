import { describe, expect, it } from 'vitest';
import { countTokens } from '../common/index.js';
import { surface } from './surface.js';

describe('surface', () => {
  it('shows a lone value as is, and a string raw', () => {
    expect(surface({ logs: [], logsTruncated: false, valueJson: '{"a":1}' }, 100).text).toBe('{"a":1}');
    expect(surface({ logs: [], logsTruncated: false, valueJson: '"hi\\nthere"' }, 100).text).toBe('hi\nthere');
  });

  it('labels console and result when both are present', () => {
    const out = surface({ logs: [{ level: 'log', text: 'x' }, { level: 'error', text: 'y' }], logsTruncated: false, valueJson: '1' }, 100);
    expect(out.text).toBe('console:\nx\n[error] y\n\nresult:\n1');
  });

  it('says when there is nothing to show', () => {
    expect(surface({ logs: [], logsTruncated: false }, 100).text).toBe('(no return value and no console output)');
  });

  it('cuts to the budget with a marker naming the size', () => {
    const big = JSON.stringify('lorem ipsum dolor '.repeat(5000));
    const out = surface({ logs: [{ level: 'log', text: 'start' }], logsTruncated: false, valueJson: big }, 500);
    expect(out.cut).toBe(true);
    expect(out.tokens).toBeLessThanOrEqual(500);
    expect(countTokens(out.text)).toBe(out.tokens);
    expect(out.text).toMatch(/cut by cemcp: result is ~[\d,]+ tokens, showing the first [\d,]+/);
    expect(out.text).toContain('console:\nstart');
  });

  it('keeps an error line whole and cuts logs after it', () => {
    const logs = Array.from({ length: 2000 }, (_, i) => ({ level: 'log' as const, text: `line ${i}` }));
    const out = surface({ error: 'Error [X]: boom', logs, logsTruncated: true }, 300);
    expect(out.text.startsWith('Error [X]: boom\n\nconsole:\nline 0')).toBe(true);
    expect(out.text).toContain('cut by cemcp: console output');
    expect(out.tokens).toBeLessThanOrEqual(300);
  });
});
