// Escape battery, part 3: what crosses the bridge. Getters, toJSON, valueOf, Proxies and Symbols in
// tool arguments run in the guest only and reach the host as plain JSON; prototype pollution in a
// program, in its arguments or in a tool's result reaches neither the host nor the next run.
import { describe, expect, it } from 'vitest';
import { endsWith, returns, runCase, type Case, useSecurityGateway } from './gateway.js';

/** A call whose error the program catches and reports as `Name: message`. */
// `// @ts-nocheck`: the traps are wrong arguments on purpose; the host's own checks are under test, not the type-check.
const caught = (call: string): string => `try { const r = await ${call}; return ['returned', r]; } catch (e) { return [e.name, String(e.message).slice(0, 200)]; } // @ts-nocheck`;

const cases: Case[] = [
  {
    name: 'a getter that throws in the arguments fails in the guest, before anything crosses',
    code: caught(`fixture.echo({ get value() { throw new Error('boom from getter'); } })`),
    expect: (r) => expect(JSON.parse(r.text)).toEqual(['TypeError', expect.stringContaining('boom from getter')]),
  },
  {
    name: 'a getter runs exactly once, in the guest; the host sees its value as data',
    code: `let n = 0; const r = await fixture.echo({ get value() { n += 1; return 'v' + n; } }); return [n, r];`,
    expect: returns('[1,{"value":"v1"}]'),
  },
  {
    name: 'toJSON decides what crosses, and the host receives only that JSON',
    code: `return await fixture.echo({ value: { secret: 1, toJSON() { return { replaced: true }; } } });`,
    expect: returns('{"value":{"replaced":true}}'),
  },
  {
    name: 'a toJSON returning huge data is refused by a named limit, not shipped to the host',
    code: caught(`fixture.echo({ value: { toJSON() { return 'x'.repeat(12 * 1024 * 1024); } } })`),
    expect: (r) => {
      // Either the guest refuses the arguments (RangeError: too large) or its memory limit ends the run.
      if (r.isError) expect(r.text).toMatch(/SANDBOX_MEMORY|LIMIT_/);
      else expect(JSON.parse(r.text)[0]).not.toBe('returned');
    },
  },
  {
    name: 'a toJSON that recurses forever overflows the guest stack only',
    code: caught(`fixture.echo({ value: { toJSON() { return { again: this }; } } })`),
    expect: (r) => {
      if (r.isError) expect(r.text).toMatch(/SANDBOX_STACK|SANDBOX_CPU|SANDBOX_MEMORY/);
      else expect(JSON.parse(r.text)[0]).not.toBe('returned');
    },
  },
  {
    name: 'a Proxy argument is read through its traps in the guest; the host gets plain JSON',
    code: `const log = []; const p = new Proxy({ a: 1 }, {
        ownKeys(t) { log.push('ownKeys'); return ['a', 'b']; },
        getOwnPropertyDescriptor(t, k) { log.push('gopd:' + String(k)); return { value: k, enumerable: true, configurable: true }; },
        get(t, k) { log.push('get:' + String(k)); return k === 'toJSON' ? undefined : 'trapped-' + String(k); },
      });
      const r = await fixture.echo({ value: p }); return [r, log.includes('ownKeys')];`,
    expect: returns('[{"value":{"a":"trapped-a","b":"trapped-b"}},true]'),
  },
  {
    name: 'a Proxy whose traps throw fails the call in the guest',
    code: caught(`fixture.echo(new Proxy({}, { ownKeys() { throw new Error('trap!'); } }))`),
    expect: (r) => expect(JSON.parse(r.text)).toEqual(['TypeError', expect.stringContaining('trap!')]),
  },
  {
    name: 'a revoked Proxy argument fails in the guest',
    code: `const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); ${caught('fixture.echo({ value: proxy })')}`,
    expect: (r) => expect(JSON.parse(r.text)[0]).toBe('TypeError'),
  },
  {
    name: 'a Proxy that builds an endless object graph is stopped by a named limit',
    code: `const deep = () => new Proxy({}, { ownKeys: () => ['x'], getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }), get: (t, k) => (k === 'toJSON' ? undefined : deep()) });
      ${caught('fixture.echo({ value: deep() })')}`,
    expect: (r) => {
      if (r.isError) expect(r.text).toMatch(/SANDBOX_(STACK|CPU|MEMORY)/);
      else expect(JSON.parse(r.text)[0]).not.toBe('returned');
    },
  },
  {
    name: 'valueOf cannot smuggle a number past the host schema check',
    code: caught(`fixture.add_tool({ name: { valueOf() { return 'x'; }, toString() { return 'x'; } } })`),
    expect: (r) => expect(JSON.parse(r.text)).toEqual(['ToolError', expect.stringMatching(/name/)]),
  },
  {
    name: 'a Number object with a hijacked valueOf crosses as the guest computed it (guest-only effect)',
    code: `const n = new Number(1); n.valueOf = () => 666; return await fixture.echo({ value: n });`,
    expect: returns('{"value":666}'),
  },
  {
    name: 'Symbols, functions and undefined are dropped; BigInt is refused',
    code: `const r = await fixture.echo({ value: { [Symbol('k')]: 1, s: Symbol('v'), f() {}, u: undefined, ok: 1 } });
      let big; try { await fixture.echo({ value: 1n }); big = 'crossed'; } catch (e) { big = e.name; } return [r, big];`,
    expect: returns('[{"value":{"ok":1}},"TypeError"]'),
  },
  {
    name: 'arguments that are not one object are refused by the host with ARGUMENT_INVALID',
    code: `const out = []; for (const a of [null, 1, 'str', [1, 2], true]) { try { await fixture.echo(a); out.push('ok'); } catch (e) { out.push(e.code); } } return out; // @ts-nocheck`,
    expect: returns('["ARGUMENT_INVALID","ARGUMENT_INVALID","ARGUMENT_INVALID","ARGUMENT_INVALID","ARGUMENT_INVALID"]'),
  },
  {
    name: 'a __proto__ key in the arguments pollutes neither the host nor the guest',
    code: `const evil = JSON.parse('{"__proto__":{"isError":true,"structuredContent":"POLLUTED","polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}');
      const echoed = await fixture.echo({ value: evil });
      const after = await fixture.ping();
      return [({}).polluted, after.pong, typeof after.structuredContent, Object.keys(echoed.value).sort()];`,
    expect: (r) => {
      expect(r.isError, r.text).toBe(false);
      const [polluted, pong, structured] = JSON.parse(r.text) as [unknown, unknown, unknown];
      expect(polluted).toBeNull(); // undefined in an array serializes as null
      expect(pong).toBe(true);
      expect(structured).toBe('undefined');
    },
  },
  {
    name: 'Object.prototype polluted in the guest changes nothing the host receives or does',
    code: `Object.prototype.isError = true; Object.prototype.code = 'FORGED'; Object.prototype.fatal = true;
      Object.prototype.toJSON = undefined; Array.prototype.polluted = 1;
      const r = await fixture.ping(); return [r.pong, typeof r.pid];`,
    expect: returns('[true,"number"]'),
  },
  {
    name: 'an Object.prototype.toJSON that answers null cannot break how a thrown error is reported',
    code: `Object.prototype.toJSON = function () { return null; }; throw new Error('reported anyway');`,
    expect: (r) => {
      endsWith('reported anyway')(r);
      expect(r.text).not.toMatch(/SANDBOX_CRASHED|engine failed/);
    },
  },
  {
    name: 'String.prototype.toJSON in the guest cannot forge the host-side error description',
    code: `String.prototype.toJSON = function () { return 'FORGED'; }; Boolean.prototype.toJSON = function () { return 'FORGED'; };
      throw new TypeError('the real message');`,
    expect: (r) => {
      expect(r.isError).toBe(true);
      expect(r.text).not.toMatch(/SANDBOX_CRASHED|engine failed/);
    },
  },
  {
    name: 'patching JSON, Promise and Error in the guest does not change what crosses',
    code: `JSON.stringify = () => '{"forged":true}'; JSON.parse = () => ({ forged: true });
      globalThis.Promise = function () { throw new Error('no promises'); }; globalThis.Error = null;
      return await fixture.echo({ value: 'genuine' });`,
    expect: returns('{"value":"genuine"}'),
  },
  {
    name: 'a then getter on Object.prototype cannot hijack tool results',
    code: `let hits = 0; Object.defineProperty(Object.prototype, 'then', { get() { hits += 1; return undefined; }, configurable: true });
      const r = await fixture.echo({ value: 7 }); delete Object.prototype.then; return [r.value, hits > 0];`,
    expect: returns('[7,true]'),
  },
  {
    name: 'a thenable Object.prototype.then that never settles stalls only this run',
    code: `Object.prototype.then = function () {}; const r = await fixture.echo({ value: 7 }); return r;`,
    expect: endsWith('SANDBOX_TIMEOUT'),
  },
  {
    name: 'namespaces cannot be reassigned or extended, even by defineProperty',
    code: `const out = [];
      const attempts = [() => { 'use strict'; fixture.ping = () => 'forged'; }, () => { 'use strict'; delete fixture.ping; },
        () => Object.defineProperty(fixture, 'x', { value: 1 }), () => Object.setPrototypeOf(fixture, { evil: 1 })];
      for (const attempt of attempts) {
        try { attempt(); out.push('done'); } catch (e) { out.push(e.name); }
      }
      return [out, (await fixture.ping()).pong, Object.getPrototypeOf(fixture)];`,
    expect: returns('[["TypeError","TypeError","TypeError","TypeError"],true,null]'),
  },
  {
    name: 'more calls than the per-run limit end the run with LIMIT_TOOL_CALLS',
    code: `await Promise.all(Array.from({ length: 50 }, () => fixture.ping().catch(() => 0))); return 'all done';`,
    expect: endsWith('LIMIT_TOOL_CALLS'),
  },
  {
    name: 'a tool result with __proto__ keys does not pollute the guest',
    code: `const r = await fixture.echo(JSON.parse('{"value":{"__proto__":{"polluted":"yes"}}}'));
      return [({}).polluted === undefined, Object.getPrototypeOf(r) === Object.prototype, Object.getPrototypeOf(r.value) === Object.prototype];`,
    expect: returns('[true,true,true]'),
  },
];

describe('escape battery: traps in arguments, prototype pollution across the bridge', () => {
  const gateway = useSecurityGateway();

  for (const c of cases) it(c.name, () => runCase(gateway(), c));
});
