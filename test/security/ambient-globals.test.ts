// Escape battery, part 2: what `globalThis` holds. Decided here: only the ECMAScript built-ins
// QuickJS ships, `console`, `ToolError`, the namespaces and the gateway's own (`state`, `skills`, `handles`); no process, module system, timers,
// fetch (off by default), WebAssembly, Atomics, performance or host bridge function anywhere in reach.
import { describe, expect, it } from 'vitest';
import { returns, runCase, type Case, useSecurityGateway } from './gateway.js';

/**
 * Every global a program may see. A QuickJS upgrade that adds one fails this test on purpose:
 * each new global is reviewed before programs get it. SharedArrayBuffer stays (one thread, no
 * Atomics, nothing to share with); WeakRef and FinalizationRegistry are guest-only.
 */
const ALLOWED_GLOBALS = [
  'AggregateError', 'Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date',
  'Error', 'EvalError', 'FinalizationRegistry', 'Float16Array', 'Float32Array', 'Float64Array', 'Function',
  'Infinity', 'Int16Array', 'Int32Array', 'Int8Array', 'InternalError', 'Iterator', 'JSON', 'Map', 'Math', 'NaN',
  'Number', 'Object', 'Promise', 'Proxy', 'RangeError', 'ReferenceError', 'Reflect', 'RegExp', 'Set',
  'SharedArrayBuffer', 'String', 'Symbol', 'SyntaxError', 'ToolError', 'TypeError', 'URIError', 'Uint16Array',
  'Uint32Array', 'Uint8Array', 'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'console', 'decodeURI',
  'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'eval', 'fixture', 'globalThis', 'handles', 'isFinite',
  'isNaN', 'parseFloat', 'parseInt', 'skills', 'state', 'undefined', 'unescape',
];

/** Names that must not exist anywhere reachable from globalThis (own keys of any reachable object). */
const FORBIDDEN = [
  'process', 'require', 'module', 'exports', 'Buffer', 'global', '__dirname', '__filename', 'setTimeout',
  'setInterval', 'setImmediate', 'queueMicrotask', 'fetch', 'XMLHttpRequest', 'WebSocket', 'WebAssembly',
  'Atomics', 'performance', 'navigator', 'Deno', 'Bun', 'std', 'os', 'scriptArgs', 'print', 'importScripts',
  'postMessage', 'Worker', 'hostCall', 'hostLog', 'deliver', 'finish', 'describe', 'define', 'enter', 'parentPort', 'workerData',
  'mainModule', 'binding', 'dlopen',
];

const cases: Case[] = [
  {
    name: 'globalThis holds exactly the allowed globals',
    code: `return Object.getOwnPropertyNames(globalThis).sort();`,
    expect: returns(JSON.stringify([...ALLOWED_GLOBALS].sort())),
  },
  {
    name: 'no forbidden name is an own key of any object reachable from globalThis',
    // `global` is also RegExp.prototype.global: it is checked as a global name below instead.
    code: `const forbidden = new Set(${JSON.stringify(FORBIDDEN.filter((n) => n !== 'global'))});
      const seen = new Set(); const queue = [globalThis]; const found = [];
      while (queue.length && seen.size < 50000) {
        const o = queue.shift();
        if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) continue;
        seen.add(o);
        queue.push(Object.getPrototypeOf(o));
        for (const k of Reflect.ownKeys(o)) {
          if (typeof k === 'string' && forbidden.has(k)) found.push(k);
          const d = Reflect.getOwnPropertyDescriptor(o, k);
          if (d) queue.push(d.value, d.get, d.set);
        }
      }
      return { found, walkedEnough: seen.size > 500 };`,
    expect: returns('{"found":[],"walkedEnough":true}'),
  },
  ...FORBIDDEN.slice(0, 17).map((name): Case => ({
    name: `${name} is not defined, and cannot be found through this, globalThis or Function('return this')`,
    code: `const g2 = Function('return this')();
      return [typeof ${name}, typeof this?.${name}, typeof globalThis.${name}, typeof g2.${name}, '${name}' in globalThis];`,
    expect: returns('["undefined","undefined","undefined","undefined",false]'),
  })),
  {
    name: 'Atomics.wait cannot block the worker thread',
    code: `try { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1e9); return 'waited'; } catch (e) { return e.name; }`,
    expect: returns('ReferenceError'),
  },
  {
    name: 'the clock is coarse: Date.now() has whole milliseconds, and there is no performance.now()',
    code: `const t = Date.now(); return [Number.isInteger(t), typeof performance, typeof globalThis.performance?.now];`,
    expect: returns('[true,"undefined","undefined"]'),
  },
  {
    name: 'this at the top of a program is the guest global (no module, exports or require wrapper)',
    code: `return [this === globalThis, typeof arguments === 'undefined' || !Array.from(arguments).some((a) => typeof a === 'function')];`,
    expect: returns('[true,true]'),
  },
  {
    name: 'console has only the capture methods, and they are guest functions',
    code: `return [Object.keys(console).sort(), Object.isFrozen(console), Object.getOwnPropertyNames(console.log).sort()];`,
    expect: (r) => {
      expect(r.isError).toBe(false);
      const [keys, frozen] = JSON.parse(r.text) as [string[], boolean];
      expect(keys).toEqual(['debug', 'error', 'info', 'log', 'warn']);
      expect(frozen).toBe(true);
    },
  },
  {
    name: 'a global defined by a program is its own: it cannot replace console or a namespace for the host',
    code: `globalThis.console = { log() { throw new Error('hijacked'); } }; try { globalThis.fixture = null; } catch {}
      console.log('x'); return typeof fixture.ping;`,
    expect: (r) => expect(r.text).toMatch(/hijacked|function/),
  },
  {
    name: 'Symbol.for registry and well-known symbols hold nothing of the host',
    code: `return [Symbol.keyFor(Symbol.for('nodejs.util.inspect.custom')), typeof Symbol.for('nodejs.rejection'), Object.getOwnPropertySymbols(globalThis).map(String)];`,
    expect: returns('["nodejs.util.inspect.custom","symbol",["Symbol(Symbol.toStringTag)"]]'),
  },
];

describe('escape battery: globalThis probing', () => {
  const gateway = useSecurityGateway();

  for (const c of cases) it(c.name, () => runCase(gateway(), c));
});
