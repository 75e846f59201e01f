import { describe, expect, it } from 'vitest';
import { isPlainJavaScript } from './plain-js.js';

const wrap = (body: string) => `(async () => {${body}\n})`;

describe('isPlainJavaScript', () => {
  it('takes ES2022 JavaScript, comparisons and all', () => {
    for (const body of [
      'return 1',
      'let n = 0;\nfor (let i = 0; i < 100; i++) n += (await crm.get({ id: i })).n;\nreturn n > 5;',
      'return [1, 2].filter((x) => x > 1).length < 3',
      'if (a < b && c > d) return "<>";',
      'return /</.test(">")',
      'class A { #p = 1; static { } } return a?.b ?? 2 ** 3',
    ]) expect(isPlainJavaScript(wrap(body)), body).toBe(true);
  });

  it('leaves TypeScript, syntax errors and newer syntax to esbuild', () => {
    for (const body of ['const x: number = 1', 'return x as any', 'enum E { A }', 'return <any>x', 'const b = ;', 'return /a/v.test("a")', 'using x = null']) {
      expect(isPlainJavaScript(wrap(body)), body).toBe(false);
    }
  });

  it('refuses JavaScript that TypeScript reads another way', () => {
    // A generic call in TypeScript, two comparisons in JavaScript.
    expect(isPlainJavaScript(wrap('return f < T > (x)'))).toBe(false);
    expect(isPlainJavaScript(wrap('return f<A, B.C>(x)'))).toBe(false);
    expect(isPlainJavaScript(wrap('return f<g<T>>(x)'))).toBe(false);
    expect(isPlainJavaScript(wrap('return f<T>`tagged`'))).toBe(false);
    // TypeScript may read `(b): c => d` as an arrow function with a return type.
    expect(isPlainJavaScript(wrap('return a ? (b) : c => d'))).toBe(false);
  });

  it('refuses text that is not exactly the wrapper', () => {
    expect(isPlainJavaScript(wrap('}); globalThis.x = 1; (async () => {'))).toBe(false);
    expect(isPlainJavaScript('(async () => {return 1\n}); 1')).toBe(false);
    expect(isPlainJavaScript('(() => {return 1\n})')).toBe(false);
  });

  it('refuses line breaks other than \\n, which could shift line numbers', () => {
    expect(isPlainJavaScript(wrap('const a = 1;\r\nreturn a'))).toBe(false);
    expect(isPlainJavaScript(wrap('const a = 1;\u2028return a'))).toBe(false);
  });
});
