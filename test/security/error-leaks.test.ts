// Escape battery, part 4: error texts and stacks. Error.prepareStackTrace and stack inspection,
// odd thrown values, and errors made in the host (tool errors, timeouts, limits) never carry a
// host path, node_modules, a worker file name or a secret (runCase checks every text for those).
import { describe, expect, it } from 'vitest';
import { endsWith, returns, runCase, TIGHT_LIMITS, type Case, useSecurityGateway } from './gateway.js';

/** Every stack frame names only the program, the guest prelude, eval input or native code. */
const guestFramesOnly = `(s) => String(s).split('\\n').filter((l) => l.trim().startsWith('at ')).every((l) => /\\((program\\.ts|cemcp:prelude|<input>|native)[:)]|^\\s*at (program\\.ts|<input>):/.test(l))`;

const cases: Case[] = [
  {
    name: 'Error.prepareStackTrace is not a hook: frames are never handed to program code',
    code: `let handed = false; Error.prepareStackTrace = (e, frames) => { handed = true; return frames; };
      function inner() { return new Error('x'); } const e = inner(); return [handed, typeof e.stack];`,
    expect: returns('[false,"string"]'),
  },
  {
    name: 'an uncaught error with prepareStackTrace set shows only the program line',
    code: `Error.prepareStackTrace = () => '/etc/passwd at node:internal/worker'; Error.stackTraceLimit = Infinity;
      function deep(n) { if (n === 0) null.x; return deep(n - 1); } deep(50);`,
    expect: (r) => {
      endsWith('TypeError')(r);
      expect(r.text).toMatch(/at line 2, column \d+/);
      expect(r.text).not.toContain('/etc/passwd');
    },
  },
  {
    name: 'Error.captureStackTrace does not exist to walk host frames',
    code: `return [typeof Error.captureStackTrace, typeof Error.prepareStackTrace === 'function'];`,
    expect: returns('["undefined",false]'),
  },
  {
    name: 'new Error().stack at the top level has guest frames only',
    code: `const s = new Error('probe').stack; return [(${guestFramesOnly})(s), s.includes('program.ts')];`,
    expect: returns('[true,true]'),
  },
  {
    name: 'the stack of a ToolError from a real upstream has guest frames only',
    code: `try { await fixture.fail({}); } catch (e) { return [(${guestFramesOnly})(e.stack), e.code, Object.keys(e).sort()]; }`,
    expect: returns('[true,"TOOL_ERROR",["code","data"]]'),
  },
  {
    name: 'the stack of an error raised inside a tool callback chain has guest frames only',
    code: `const r = await fixture.ping().then(() => { try { null.x; } catch (e) { return e.stack; } }); return (${guestFramesOnly})(r);`,
    expect: returns('true'),
  },
  {
    name: 'a caught stack overflow carries guest frames only',
    code: `const f = (n) => f(n + 1); try { f(0); } catch (e) { return [e.name, (${guestFramesOnly})(e.stack)]; }`,
    expect: (r) => {
      if (r.isError) expect(r.text).toContain('SANDBOX_STACK');
      else expect(JSON.parse(r.text)).toEqual([expect.stringMatching(/InternalError|RangeError/), true]);
    },
  },
  {
    name: 'an error raised in eval names <input>, not a host file',
    code: `try { eval('(function evil() { null.x; })()'); } catch (e) { return (${guestFramesOnly})(e.stack); }`,
    expect: returns('true'),
  },
  {
    name: 'a syntax error is reported at the program line, without transpiler internals',
    code: `const a = 1;\nconst = 2;`,
    expect: (r) => {
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^SyntaxError at line 2, column \d+/);
    },
  },
  {
    name: 'a syntax error in code made at run time by Function stays a guest SyntaxError',
    code: `try { Function('return )('); } catch (e) { return [e.name, (${guestFramesOnly})(e.stack)]; }`,
    expect: returns('["SyntaxError",true]'),
  },
  ...[
    ['null', 'null'], ['undefined', 'undefined'], ['a Symbol', "Symbol('s')"], ['a BigInt', '10n'], ['a function', 'function f() {}'],
    ['a number', '42'], ['a frozen empty object', 'Object.freeze(Object.create(null))'],
  ].map(([label, value]): Case => ({
    name: `throwing ${label} is reported as a plain guest error`,
    code: `throw ${value};`,
    expect: (r) => {
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Uncaught /);
      expect(r.text).not.toMatch(/SANDBOX_CRASHED|engine failed/);
    },
  })),
  {
    name: 'a thrown Proxy whose every trap throws is still described',
    code: `throw new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); }, has() { throw new Error('trap'); } });`,
    expect: (r) => {
      expect(r.isError).toBe(true);
      expect(r.text).not.toMatch(/SANDBOX_CRASHED|engine failed/);
    },
  },
  {
    name: 'a thrown object whose name getter loops forever ends with the CPU limit',
    code: `const e = new Error('x'); Object.defineProperty(e, 'name', { get() { for (;;) {} } }); throw e;`,
    expect: endsWith('SANDBOX_CPU'),
  },
  {
    name: 'an error with a 4 MB message is clipped before it crosses',
    code: `throw new Error('M'.repeat(4 * 1024 * 1024));`,
    expect: (r) => {
      expect(r.isError).toBe(true);
      expect(r.text.length).toBeLessThan(40_000);
    },
  },
  {
    name: 'an error whose stack getter returns host-looking text is the program\'s own text',
    code: `const e = new Error('mine'); Object.defineProperty(e, 'stack', { value: 'at x (/work/secret/path.js:1:1)' }); throw e;`,
    expect: (r) => {
      endsWith('mine')(r);
      expect(r.text).not.toContain('/work/secret');
    },
  },
  {
    name: 'a return value that cannot be serialized is reported without host internals',
    code: `return { get boom() { throw new Error('getter in result'); } };`,
    expect: (r) => {
      expect(r.isError).toBe(true);
      expect(r.text).toContain('getter in result');
    },
  },
  {
    name: 'an unhandled rejection beside a returned value does not disturb the run',
    code: `Promise.reject(new Error('ignored')); (async () => { throw new Error('also ignored'); })(); return 'fine';`,
    expect: returns('fine'),
  },
  {
    name: 'an AggregateError of many tool errors is bounded and host-free',
    code: `const ps = Array.from({ length: 10 }, () => fixture.fail({})); await Promise.any(ps);`,
    expect: (r) => {
      endsWith('AggregateError')(r);
      expect(r.text.length).toBeLessThan(20_000);
    },
  },
  {
    name: 'an upstream timeout names the upstream and the limit, nothing more',
    code: `try { await fixture.hang({}); } catch (e) { return [e.code, e.message]; }`,
    expect: (r) => expect(JSON.parse(r.text)).toEqual(['UPSTREAM_TIMEOUT', expect.stringMatching(new RegExp(`no answer within ${TIGHT_LIMITS.toolCallTimeoutMs} ms`))]),
  },
  {
    name: 'Error.prototype.toString patched to run host-looking code changes only the guest',
    code: `Error.prototype.toString = function () { return 'process.exit(1)'; }; throw new RangeError('patched');`,
    expect: endsWith('RangeError: patched'),
  },
];

describe('escape battery: stacks and error texts', () => {
  const gateway = useSecurityGateway();

  for (const c of cases) it(c.name, () => runCase(gateway(), c));
});
