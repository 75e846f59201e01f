// Escape battery, part 1: every constructor chain a program can walk (functions, async functions,
// generators, errors, promises, namespace functions, console, ToolError), eval/Function and
// import(). Each must end at the guest's own Function, in a world with no host objects.
import { describe, expect, it } from 'vitest';
import { endsWith, returns, runCase, type Case, useSecurityGateway } from './gateway.js';

/** What a Function reached by a chain evaluates: every host handle a Node escape would want. */
const PROBE = `'return [typeof process, typeof require, typeof module, typeof exports, typeof Buffer, typeof global, typeof __dirname, typeof WebAssembly]'`;
const ALL_UNDEFINED = JSON.stringify(Array(8).fill('undefined'));

/** A chain expression that yields a constructor of functions; the program checks it is the guest's own and runs PROBE. */
const chain = (name: string, setup: string, expr: string): Case => ({
  name,
  code: `${setup}
    const F = ${expr};
    const guestOwn = [Function, (async () => {}).constructor, (function* () {}).constructor, (async function* () {}).constructor].includes(F);
    const probed = F(${PROBE});
    let out = typeof probed === 'function' ? probed() : probed;
    if (out && typeof out.next === 'function') out = (await out.next()).value; // generators yield nothing: take the return
    return [guestOwn, await out];`,
  expect: returns(`[true,${ALL_UNDEFINED}]`),
});

const cases: Case[] = [
  {
    name: "this.constructor.constructor('return process')() finds no process",
    code: `try { return this.constructor.constructor('return process')(); } catch (e) { return e.name; }`,
    expect: returns('ReferenceError'),
  },
  {
    name: "an uncaught this.constructor.constructor('return process')() is a plain ReferenceError",
    code: `return this.constructor.constructor('return process.mainModule.require("child_process").execSync("id")')();`,
    expect: (r) => {
      endsWith('ReferenceError')(r);
      expect(r.text).toMatch(/process/);
    },
  },
  chain('via Object.constructor', '', 'Object.constructor'),
  chain('via globalThis.constructor.constructor', '', 'globalThis.constructor.constructor'),
  chain('via an async function', '', '(async function () {}).constructor'),
  chain('via a generator function', '', '(function* () {}).constructor'),
  chain('via an async generator', '', 'Object.getPrototypeOf(async function* () {}).constructor'),
  chain('via an Error instance', '', 'new Error("x").constructor.constructor'),
  chain('via a caught engine error', 'let caught; try { null.x; } catch (e) { caught = e; }', 'caught.constructor.constructor'),
  chain('via a Promise and its then', '', 'Promise.resolve(1).then.constructor'),
  chain('via a namespace function', '', 'fixture.ping.constructor'),
  chain('via a namespace function\'s prototype chain', '', 'Object.getPrototypeOf(Object.getPrototypeOf(fixture.echo)).constructor'),
  chain('via console.log', '', 'console.log.constructor'),
  chain('via ToolError', '', 'ToolError.constructor'),
  chain('via a ToolError thrown by a real upstream', 'let caught; try { await fixture.fail({}); } catch (e) { caught = e; }', 'caught.constructor.constructor'),
  chain('via Function.prototype\'s constructor descriptor', '', 'Object.getOwnPropertyDescriptor(Object.getPrototypeOf(fixture.ping), "constructor").value'),
  chain('via a bound function', '', 'fixture.ping.bind(null).constructor'),
  chain('via a Proxy around a namespace function', '', 'new Proxy(fixture.ping, {}).constructor'),
  {
    name: 'namespaces are frozen, prototype-less objects of guest functions',
    code: `return [Object.getPrototypeOf(fixture), Object.isFrozen(fixture), typeof fixture.constructor, Object.keys(fixture).sort()];`,
    expect: returns('[null,true,"undefined",["add_tool","crash","echo","fail","hang","ping","throws"]]'),
  },
  {
    name: 'the host bridge functions are nowhere in reach',
    code: `return [typeof hostCall, typeof hostLog, typeof deliver, typeof finish, typeof describe, typeof kit];`,
    expect: returns(JSON.stringify(Array(6).fill('undefined'))),
  },
  {
    name: 'a namespace function\'s source shows guest code only',
    code: `const s = String(fixture.ping) + String(console.log) + String(ToolError); return /\\[native code\\]|require|process/.test(s.replace(/hostCall|hostLog/g, ''));`,
    expect: returns('false'),
  },
  {
    name: 'caller and arguments.callee chains stop at guest code',
    code: `function f() { try { return [String(f.caller), typeof arguments.callee.caller]; } catch (e) { return [e.name]; } }
      return f().every((x) => !/process|require/.test(x));`,
    expect: returns('true'),
  },
  {
    name: 'indirect eval sees the same empty world',
    code: `return (0, eval)(${PROBE.replace('return ', '')});`,
    expect: returns(ALL_UNDEFINED),
  },
  {
    name: 'eval of new Function("return this") is the guest global, with nothing host-side on it',
    code: `const g = new Function('return this')(); return [g === globalThis, ['process', 'require', 'Buffer', 'global'].some((k) => k in g)];`,
    expect: returns('[true,false]'),
  },
  {
    name: 'dynamic import of a host module fails',
    code: `const out = []; for (const m of ['fs', 'node:child_process', 'os', 'std', 'data:text/javascript,export default 1', 'file:///etc/passwd', './dist/cli/main.js']) {
        try { await import(m); out.push('imported ' + m); } catch (e) { out.push(e.name); }
      } return out.filter((x) => x.startsWith('imported'));`,
    expect: returns('[]'),
  },
  {
    name: 'import() through Function and eval fails too',
    code: `const tries = [() => new Function('return import("fs")')(), () => eval('import("os")'), () => (0, eval)('import("std")')];
      const out = []; for (const t of tries) { try { await t(); out.push('imported'); } catch (e) { out.push(e.name); } } return out.includes('imported');`,
    expect: returns('false'),
  },
  {
    name: 'WebAssembly is absent, so no second engine can be compiled',
    code: `return [typeof WebAssembly, typeof globalThis.WebAssembly, 'WebAssembly' in globalThis];`,
    expect: returns('["undefined","undefined",false]'),
  },
  {
    name: 'a program-level import statement is refused, not resolved',
    code: `import fs from 'fs'; return typeof fs;`,
    expect: (r) => expect(r.isError).toBe(true),
  },
  {
    name: 'Function.prototype.toString cannot be turned against the host',
    code: `Function.prototype.toString = function () { return 'hijacked'; }; const r = await fixture.echo({ value: 1 }); return r;`,
    expect: returns('{"value":1}'),
  },
  {
    name: 'an async stack of constructor lookups through a rejected tool promise stays in the guest',
    code: `const p = fixture.fail({}); const F = p.constructor.constructor; p.catch(() => {}); return F === Function;`,
    expect: returns('true'),
  },
];

describe('escape battery: constructor chains, eval and import', () => {
  const gateway = useSecurityGateway();

  for (const c of cases) it(c.name, () => runCase(gateway(), c));

  it('still answers the fixture upstream after the whole table', async () => {
    const r = await gateway().run('return (await fixture.ping()).pong');
    expect(r).toEqual({ text: 'true', isError: false });
  });
});
