// Escape battery, part 5: exhausting the engine. Busy loops, promise and microtask floods, async
// starvation, deep recursion, huge strings and arrays, ReDoS, JSON bombs and log floods each end
// the run with the named limit (or a guest error the program sees), and the next run is served.
import { describe, expect, it } from 'vitest';
import { endsWith, returns, runCase, type Case, useSecurityGateway } from './gateway.js';

/** The run ended with one of these named limits. */
const endsWithOneOf = (...codes: string[]) => (r: { text: string; isError: boolean }): void => {
  expect(r.isError, r.text).toBe(true);
  expect(r.text).toMatch(new RegExp(`\\[(${codes.join('|')})\\]`));
};

const cases: Case[] = [
  { name: 'a busy loop ends with the CPU limit', code: 'for (;;) {}', expect: endsWith('SANDBOX_CPU') },
  {
    name: 'the CPU interrupt cannot be caught, not even with finally',
    code: `for (;;) { try { for (;;) {} } catch (e) { console.log('caught', e); } finally { for (;;) {} } }`,
    expect: endsWith('SANDBOX_CPU'),
  },
  {
    name: 'a spin-wait on Date.now ends with the CPU limit',
    code: `const t = Date.now(); while (Date.now() - t < 60000) {} return 'waited';`,
    expect: endsWith('SANDBOX_CPU'),
  },
  { name: 'a microtask flood (await in a loop) ends with the CPU limit', code: 'for (;;) await null;', expect: endsWith('SANDBOX_CPU') },
  {
    name: 'a self-feeding promise chain ends with a named limit',
    code: 'const f = () => Promise.resolve().then(f); f(); await new Promise(() => {});',
    expect: endsWithOneOf('SANDBOX_CPU', 'SANDBOX_MEMORY'),
  },
  {
    name: 'ten million pending promises end with a named limit',
    code: 'const ps = []; for (let i = 0; i < 1e7; i++) ps.push(new Promise(() => {})); return ps.length;',
    expect: endsWithOneOf('SANDBOX_MEMORY', 'SANDBOX_CPU'),
  },
  {
    // It ends at once, long before the wall limit: the text must say why (nothing can settle), not blame the clock.
    name: 'awaiting a promise nothing can settle ends at once, named for what happened',
    code: 'await new Promise(() => {}); return "never";',
    expect: (r) => {
      endsWith('SANDBOX_TIMEOUT')(r);
      expect(r.text).toMatch(/nothing can settle/);
    },
  },
  {
    name: 'retrying a hanging tool forever ends with the wall-time limit',
    code: 'for (;;) { try { await fixture.hang({}); } catch (e) {} }',
    expect: endsWithOneOf('SANDBOX_TIMEOUT', 'LIMIT_TOOL_CALLS'),
  },
  {
    name: 'many hanging tool calls at once end as ToolErrors, within the wall time',
    code: `const r = await Promise.allSettled(Array.from({ length: 10 }, () => fixture.hang({}))); return r.map((x) => x.reason?.code ?? 'settled');`,
    expect: (r) => {
      if (r.isError) expect(r.text).toMatch(/\[(SANDBOX_TIMEOUT|LIMIT_[A-Z_]+)\]/);
      else for (const code of JSON.parse(r.text) as string[]) expect(code).toMatch(/UPSTREAM_TIMEOUT|LIMIT_/);
    },
  },
  { name: 'unbounded recursion ends with the stack limit', code: 'const f = (n) => f(n + 1) + 1; return f(0);', expect: endsWith('SANDBOX_STACK') },
  {
    name: 'recursion through getters and toString ends with the stack limit or a guest error',
    code: `const o = { toString() { return '' + o; } }; return '' + o;`,
    expect: endsWithOneOf('SANDBOX_STACK', 'SANDBOX_CPU'),
  },
  {
    // Spaced brackets: one long run of a single character is the tokenizer's worst case, tested in host-stalls.
    name: 'a program nested 100,000 levels deep is refused without harming the transpiler',
    code: `return ${'[ '.repeat(100_000)}${' ]'.repeat(100_000)};`,
    expect: (r) => expect(r.isError).toBe(true),
  },
  {
    name: 'eval of a deeply nested expression overflows the guest stack, not the worker',
    code: `return eval('('.repeat(200000) + '1' + ')'.repeat(200000));`,
    expect: endsWithOneOf('SANDBOX_STACK', 'SANDBOX_MEMORY', 'SANDBOX_CPU'),
  },
  {
    // QuickJS builds concatenations lazily (ropes): it may hit its own string length cap before the heap limit.
    name: 'a string doubled forever ends with the memory limit or the engine\'s length cap',
    code: `let s = 'x'; for (;;) s += s;`,
    expect: (r) => {
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/\[SANDBOX_MEMORY\]|^Uncaught (InternalError|RangeError): (string too long|invalid string length)/);
    },
  },
  {
    name: 'a caught allocation failure cannot be retried past the memory limit',
    code: `const keep = []; for (;;) { try { keep.push('y'.repeat(1 << 20) + keep.length); } catch (e) { keep.push(e); } }`,
    expect: endsWithOneOf('SANDBOX_MEMORY', 'SANDBOX_CPU'),
  },
  {
    name: 'a 1 GB string is refused',
    code: `return 'x'.repeat(2 ** 30).length;`,
    expect: (r) => {
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/\[SANDBOX_MEMORY\]|^Uncaught (InternalError|RangeError): (string too long|invalid string length)/);
    },
  },
  {
    name: 'a huge array fill ends with the memory limit',
    code: `return new Array(1e9).fill(0).length;`,
    expect: endsWithOneOf('SANDBOX_MEMORY', 'SANDBOX_CPU'),
  },
  {
    name: 'a 2 GB ArrayBuffer is refused in the guest',
    code: `try { return new ArrayBuffer(2 ** 31).byteLength; } catch (e) { return e.name; }`,
    expect: (r) => {
      if (r.isError) expect(r.text).toContain('SANDBOX_MEMORY');
      else expect(r.text).toMatch(/RangeError|InternalError/);
    },
  },
  {
    name: 'a catastrophic regular expression (ReDoS) ends with the CPU limit',
    code: `return /^(a+)+$/.test('a'.repeat(40) + '!');`,
    expect: endsWith('SANDBOX_CPU'),
  },
  {
    name: 'ReDoS through String.prototype.replace ends with the CPU limit',
    code: `return ('x'.repeat(30) + 'y').replace(/(x+x+)+z/, '');`,
    expect: endsWith('SANDBOX_CPU'),
  },
  {
    name: 'a deeply nested JSON.parse (JSON bomb) ends with the stack limit',
    code: `return JSON.parse('['.repeat(1e6) + ']'.repeat(1e6));`,
    expect: endsWithOneOf('SANDBOX_STACK', 'SANDBOX_MEMORY'),
  },
  {
    name: 'a billion-laughs structure returned as the result ends with a named limit',
    code: `let a = ['lol']; for (let i = 0; i < 40; i++) a = [a, a]; return a;`,
    expect: endsWithOneOf('SANDBOX_CPU', 'SANDBOX_MEMORY', 'LIMIT_OUTPUT'),
  },
  {
    name: 'a billion-laughs structure sent as tool arguments never reaches the host whole',
    code: `let a = ['lol']; for (let i = 0; i < 40; i++) a = [a, a]; return await fixture.echo({ value: a });`,
    expect: (r) => {
      if (r.isError) expect(r.text).toMatch(/SANDBOX_(CPU|MEMORY)|LIMIT_|too large/);
      else expect(r.text).toMatch(/too large|RangeError/);
    },
  },
  {
    name: 'a return value over the result limit ends with LIMIT_OUTPUT',
    code: `return 'r'.repeat(1024 * 1024);`,
    expect: endsWith('LIMIT_OUTPUT'),
  },
  {
    name: 'a console flood is cut, and the run still ends by its CPU limit',
    code: `for (let i = 0; ; i++) console.log('line', i, 'z'.repeat(500));`,
    expect: (r) => {
      endsWith('SANDBOX_CPU')(r);
      expect(r.text.length).toBeLessThan(64_000);
    },
  },
  {
    name: 'a finite console flood ends the run normally, with a cut marker and a bounded answer',
    code: `for (let i = 0; i < 20000; i++) console.log('line', i); return 'done';`,
    expect: (r) => {
      expect(r.isError).toBe(false);
      expect(r.text).toContain('done');
      expect(r.text.length).toBeLessThan(64_000);
    },
  },
  {
    name: 'logging a huge string crosses only the log budget',
    code: `console.log('L'.repeat(8 * 1024 * 1024)); return 'logged';`,
    expect: (r) => {
      if (r.isError) expect(r.text).toContain('SANDBOX_MEMORY');
      else expect(r.text.length).toBeLessThan(64_000);
    },
  },
  {
    name: 'a FinalizationRegistry callback cannot outlive its run',
    code: `const reg = new FinalizationRegistry(() => { for (;;) {} }); for (let i = 0; i < 1000; i++) reg.register({}, i); return 'registered';`,
    expect: (r) => expect(r.text).toMatch(/registered|SANDBOX_CPU/),
  },
];

describe('escape battery: exhausting CPU, memory, stack, time and output', () => {
  const gateway = useSecurityGateway();

  for (const c of cases) it(c.name, () => runCase(gateway(), c));

  it('serves ordinary programs on both pool workers after the whole table', async () => {
    const runs = await Promise.all(Array.from({ length: 4 }, (_, i) => gateway().run(`return ${i} * 2`)));
    expect(runs).toEqual([0, 2, 4, 6].map((n) => ({ text: String(n), isError: false })));
    await runCase(gateway(), { name: 'ping', code: 'return (await fixture.ping()).pong', expect: returns('true') });
  });
});
