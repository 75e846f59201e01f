import { describe, expect, it } from 'vitest';
import { countTokens } from '../common/index.js';
import { describeShape, pagingCode, previewValue } from './value-preview.js';

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, name: `row ${i}`, tags: ['a', 'b'], note: i % 2 ? null : 'x' }));

describe('describeShape', () => {
  it('merges array elements into one object type, marking keys some lack', () => {
    expect(describeShape({ items: [{ id: 1, a: 'x' }, { id: 2 }], total: 2 }, 0))
      .toBe('{ items: { id: number, a?: string }[] (2), total: number }');
  });

  it('writes unions of mixed elements and quotes keys that are not identifiers', () => {
    expect(describeShape([1, 'a', null], 0)).toBe('(number | string | null)[] (3)');
    expect(describeShape({ 'content-type': 'x', n: [] }, 0)).toBe('{ "content-type": string, n: [] }');
  });
});

describe('previewValue', () => {
  it('shows the shape and the first items of the longest array within the budget', () => {
    const value = { items: rows(12_000), total: 12_000, next: 'cursor' };
    const preview = previewValue(JSON.stringify(value), 600)!;
    expect(preview.text.startsWith('shape: { items: { id: number, name: string, tags: string[] (2), note: string | null }[] (12,000), total: number, next: string }')).toBe(true);
    expect(countTokens(preview.text)).toBeLessThanOrEqual(600);
    expect(preview.path).toBe('all.items');
    expect(preview.length).toBe(12_000);
    expect(preview.shownUpTo).toBeGreaterThan(3);
    // The sample is JSON whose array ends with how many items were left out.
    const [, heading, json] = /\n(first \d+ of 12,000 items of all\.items):\n(.*)$/s.exec(preview.text)!;
    expect(heading).toBe(`first ${preview.shownUpTo} of 12,000 items of all.items`);
    const sample = JSON.parse(json!) as { items: unknown[] };
    expect(sample.items).toHaveLength(preview.shownUpTo! + 1);
    expect(sample.items.at(-1)).toBe(`… ${(12_000 - preview.shownUpTo!).toLocaleString('en-US')} more items`);
    expect(sample.items[0]).toEqual(value.items[0]);
  });

  it('clips long strings inside items rather than dropping every item', () => {
    const value = Array.from({ length: 50 }, (_, i) => ({ i, body: 'word '.repeat(2_000) }));
    const preview = previewValue(JSON.stringify(value), 400)!;
    expect(countTokens(preview.text)).toBeLessThanOrEqual(400);
    expect(preview.path).toBe('all');
    expect(preview.shownUpTo).toBeGreaterThan(0);
    expect(preview.text).toContain('(10,000 chars)');
  });

  it('previews a long string by its head and length', () => {
    const preview = previewValue(JSON.stringify('lorem ipsum '.repeat(10_000)), 200)!;
    expect(preview.kind).toBe('string');
    expect(preview.text.startsWith('shape: a string of 120,000 characters\nlorem ipsum')).toBe(true);
    expect(countTokens(preview.text)).toBeLessThanOrEqual(200);
    expect(preview.shownUpTo).toBeGreaterThan(100);
  });

  it('pages a big object by its keys, listing them once however many there are', () => {
    const value: Record<string, number> = {};
    for (let i = 0; i < 300_000; i++) value[`k${i}`] = i;
    const preview = previewValue(JSON.stringify({ byId: value, total: 300_000 }), 800)!;
    expect(preview).toMatchObject({ path: 'all.byId', kind: 'object', length: 300_000 });
    expect(preview.shownUpTo).toBeGreaterThan(24);
    expect(preview.text).toContain(`first ${preview.shownUpTo} of 300,000 keys of all.byId:`);
    expect(countTokens(preview.text)).toBeLessThanOrEqual(800);
    expect(pagingCode('h_x', preview)).toBe(`const all = await handles.get("h_x"); return Object.fromEntries(Object.entries(all.byId).slice(${preview.shownUpTo}, ${2 * preview.shownUpTo!}))`);
  });

  it('keeps a __proto__ key as a key and answers undefined for text that is not JSON', () => {
    const preview = previewValue('{"__proto__":{"polluted":1},"list":[1,2,3]}', 200)!;
    expect(preview.text).toContain('"__proto__":{"polluted":1}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(previewValue('{"a":', 100)).toBeUndefined();
  });
});

describe('pagingCode', () => {
  it('reads the next page of the array the preview showed, or the next characters of a string', () => {
    expect(pagingCode('h_abc', { text: '', path: 'all.items', kind: 'array', length: 500, shownUpTo: 100 }))
      .toBe('const all = await handles.get("h_abc"); return all.items.slice(100, 200)');
    expect(pagingCode('h_abc', { text: '', path: 'all', kind: 'string', length: 90_000, shownUpTo: 4_000 }))
      .toBe('const text = await handles.get("h_abc"); return text.slice(4000, 8000)');
    expect(pagingCode('h_abc', { text: '', path: 'all', kind: 'object' })).toBe('const all = await handles.get("h_abc"); return Object.keys(all)');
  });
});
