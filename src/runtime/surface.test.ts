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
    expect(out.text).toMatch(/^console:\nstart\n\nresult:\nshape: a string of 90,000 characters\nlorem ipsum dolor/);
    expect(out.text).toMatch(/cut by cemcp: the result is ~[\d,]+ tokens, over cemcp's answer budget of 500 \(cemcp\.surface\.maxTokens\), so this is a preview; not a limit of the API or the tool\. No handle was kept: this run has no MCP session/);
    expect(out.valueCut).toBe(true);
    expect(out.text).toContain('console:\nstart');
  });

  it('previews a cut value by its shape and first items, naming the handle it is offered and how to page it', () => {
    const value = JSON.stringify({ items: Array.from({ length: 3_000 }, (_, i) => ({ id: i, email: `user${i}@example.com` })), next: null });
    const out = surface({ logs: [], logsTruncated: false, valueJson: value }, 400, (x) => x, { id: 'h_AAAAAAAAAAAAAAAAAAAA' });
    expect(out.tokens).toBeLessThanOrEqual(400);
    expect(out.text).toMatch(/^shape: \{ items: \{ id: number, email: string \}\[\] \(3,000\), next: null \}\nfirst (\d+) of 3,000 items of all\.items:\n\{"items":\[\{"id":0,"email":"user0@example\.com"\}/);
    const shown = Number(/first (\d+) of/.exec(out.text)![1]);
    expect(out.text.endsWith(`kept in this session as handle "h_AAAAAAAAAAAAAAAAAAAA"; read the rest in a program: const all = await handles.get("h_AAAAAAAAAAAAAAAAAAAA"); return all.items.slice(${shown}, ${2 * shown})]`)).toBe(true);
  });

  it('builds the preview from the protected text only', () => {
    const value = JSON.stringify(Array.from({ length: 2_000 }, (_, i) => `secret-${i}`));
    const out = surface({ logs: [], logsTruncated: false, valueJson: value }, 300, (x) => ({ ...x, valueJson: x.valueJson?.replace(/secret-/g, '[T]-') }), { id: 'h_AAAAAAAAAAAAAAAAAAAA' });
    expect(out.text).not.toContain('secret-');
    expect(out.text).toContain('"[T]-0"');
  });

  it('keeps an error line whole and cuts logs after it', () => {
    const logs = Array.from({ length: 2000 }, (_, i) => ({ level: 'log' as const, text: `line ${i}` }));
    const out = surface({ error: 'Error [X]: boom', logs, logsTruncated: true }, 300);
    expect(out.text.startsWith('Error [X]: boom\n\nconsole:\nline 0')).toBe(true);
    expect(out.text).toContain('cut by cemcp: console output');
    expect(out.tokens).toBeLessThanOrEqual(300);
  });
});
