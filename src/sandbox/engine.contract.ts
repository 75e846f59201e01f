// The behaviour every Engine must show, as a reusable vitest suite: `engineContract(create)`.
// Imported by engine tests only. Uses a real HostBridge written here (no mocks) and tight limits;
// after every failing run it checks that the very next run on the same engine still works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUT_MARK } from '../common/index.js';
import type { BridgeReply, Engine, HostBridge, Limits, LogEntry, RunOutcome } from './engine.js';

export const CONTRACT_LIMITS: Limits = {
  cpuMs: 250,
  wallMs: 2_000,
  memoryBytes: 16 * 2 ** 20,
  stackBytes: 128 * 1024,
  maxLogBytes: 1_024,
  maxResultBytes: 64 * 1024,
};

/** A bridge with a few fixed tools; it records every call as it arrived. */
export class RecordingBridge implements HostBridge {
  readonly calls: { namespace: string; fn: string; argsJson: string }[] = [];

  async call(namespace: string, fn: string, argsJson: string): Promise<BridgeReply> {
    this.calls.push({ namespace, fn, argsJson });
    switch (fn) {
      case 'echo':
        return { ok: true, json: JSON.stringify({ namespace, fn, args: JSON.parse(argsJson) as unknown }) };
      case 'text':
        // An upstream's text passed on unparsed: JSON when it parses, else the text itself.
        return { ok: true, json: (JSON.parse(argsJson) as { text: string }).text, orText: true };
      case 'fail':
        return { ok: false, error: { code: 'TOOL_ERROR', message: 'no such issue', data: { status: 404 } } };
      case 'fatal':
        return { ok: false, fatal: true, error: { code: 'LIMIT_TOOL_CALLS', message: 'tool call limit reached' } };
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { ok: true, json: '"slow"' };
      case 'never':
        return new Promise<BridgeReply>(() => undefined);
      default:
        return { ok: false, error: { code: 'OPERATION_UNKNOWN', message: `${namespace}.${fn} is unknown` } };
    }
  }
}

const API = { gh: ['echo', 'text', 'fail', 'fatal', 'slow', 'never'] };

/** ECMAScript's global names (ES2025) and globalThis[Symbol.toStringTag], plus QuickJS's InternalError. */
const STANDARD_GLOBALS: ReadonlySet<string> = new Set([
  'globalThis', 'Infinity', 'NaN', 'undefined', 'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape',
  'AggregateError', 'Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView',
  'Date', 'Error', 'EvalError', 'FinalizationRegistry', 'Float16Array', 'Float32Array', 'Float64Array', 'Function',
  'Int8Array', 'Int16Array', 'Int32Array', 'Iterator', 'Map', 'Number', 'Object', 'Promise', 'Proxy', 'RangeError',
  'ReferenceError', 'RegExp', 'Set', 'SharedArrayBuffer', 'String', 'Symbol', 'SyntaxError', 'TypeError',
  'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'URIError', 'WeakMap', 'WeakRef', 'WeakSet',
  'Atomics', 'JSON', 'Math', 'Reflect', 'InternalError', 'Symbol(Symbol.toStringTag)',
]);

export function engineContract(create: () => Engine, name = 'engine'): void {
  describe(`${name} (Engine contract)`, () => {
    let engine: Engine;
    beforeAll(() => {
      engine = create();
    });
    afterAll(async () => {
      await engine.close();
    });

    const run = (code: string, limits: Partial<Limits> = {}, bridge: HostBridge = new RecordingBridge()): Promise<RunOutcome> =>
      engine.run({ code, filename: 'program.js', api: API, limits: { ...CONTRACT_LIMITS, ...limits } }, bridge);

    const codeOf = (outcome: RunOutcome): string => (outcome.ok ? 'ok' : outcome.error.code);

    /** Runs a failing program, checks its code, then checks that the engine still answers. */
    async function expectFailure(code: string, expected: string | readonly string[], limits: Partial<Limits> = {}): Promise<RunOutcome> {
      const outcome = await run(code, limits);
      expect([expected].flat()).toContain(codeOf(outcome));
      const next = await run('(async () => 6 * 7)');
      expect(next.ok && next.valueJson).toBe('42');
      return outcome;
    }

    it('passes an upstream text on as JSON when it parses and as the text when it does not', async () => {
      const out = await run('(async () => [await gh.text({ text: " {\\"a\\": [1]} " }), await gh.text({ text: "The sum is 5" }), await gh.text({ text: "42" }), await gh.text({ text: "{broken" })])');
      expect(out.ok && JSON.parse(out.valueJson!)).toEqual([{ a: [1] }, 'The sum is 5', 42, '{broken']);
    });

    it('returns the JSON of the value, and undefined as undefined', async () => {
      const out = await run('(async () => ({ answer: 6 * 7, list: [1, "two"] }))');
      expect(out.ok && out.valueJson).toBe('{"answer":42,"list":[1,"two"]}');
      const none = await run('(async () => { const x = 1; })');
      expect(none.ok).toBe(true);
      expect(none.ok ? none.valueJson : 'failed').toBeUndefined();
    });

    it('captures console output, formatted in the guest', async () => {
      // Detached methods work too (and keep the text of this file free of host-style console calls).
      const out = await run('(async () => { const { log, warn, error, debug, info } = console; log("a", 1, { b: [2] }); warn(new TypeError("t")); error(undefined); debug("d"); info("i"); })');
      expect(out.logs).toEqual([
        { level: 'log', text: 'a 1 {"b":[2]}' },
        { level: 'warn', text: 'TypeError: t' },
        { level: 'error', text: 'undefined' },
        { level: 'debug', text: 'd' },
        { level: 'info', text: 'i' },
      ]);
      expect(out.logsTruncated).toBe(false);
    });

    it('drops log bytes beyond maxLogBytes and says so', async () => {
      const out = await run('(async () => { const { log } = console; for (let i = 0; i < 100; i++) log("line " + i + " €"); return 1 })', { maxLogBytes: 50 });
      expect(out.ok).toBe(true);
      expect(out.logsTruncated).toBe(true);
      const bytes = out.logs.reduce((sum, entry) => sum + Buffer.byteLength(entry.text), 0);
      expect(bytes).toBeLessThanOrEqual(50);
      expect(out.logs[0]).toEqual({ level: 'log', text: 'line 0 €' });
    });

    it('streams console output to bridge.log while the run goes on: lines logged before a call arrive before it', async () => {
      const streamed: LogEntry[] = [];
      const seenAtCall: string[][] = [];
      const bridge: HostBridge = {
        log: (entry) => streamed.push(entry),
        async call() {
          seenAtCall.push(streamed.map((entry) => entry.text));
          return { ok: true, json: '1' };
        },
      };
      const out = await run('(async () => { const { log, warn } = console; log("before", 1); await gh.echo({}); warn("between"); await gh.echo({}); log("after"); return 2 })', {}, bridge);
      expect(out.ok && out.valueJson).toBe('2');
      expect(seenAtCall).toEqual([['before 1'], ['before 1', 'between']]);
      // Every entry once, in order, and the outcome still has them all.
      expect(streamed).toEqual([{ level: 'log', text: 'before 1' }, { level: 'warn', text: 'between' }, { level: 'log', text: 'after' }]);
      expect(out.logs).toEqual(streamed);
    });

    it('streams only what fits maxLogBytes, exactly the entries the outcome keeps', async () => {
      const streamed: LogEntry[] = [];
      const bridge = new RecordingBridge();
      const out = await run('(async () => { const { log } = console; for (let i = 0; i < 200; i++) { log("line " + i + " €"); if (i % 50 === 0) await gh.echo({}); } return 1 })', { maxLogBytes: 95 }, Object.assign(bridge, { log: (entry: LogEntry) => streamed.push(entry) }));
      expect(out.ok).toBe(true);
      expect(out.logsTruncated).toBe(true);
      // The entry the budget cut carries the cut mark, so the host's tokenizer drops its raw tail.
      expect(streamed.slice(0, -1)).toEqual(out.logs.slice(0, -1));
      expect(streamed.at(-1)).toEqual({ ...out.logs.at(-1), text: `${out.logs.at(-1)?.text ?? ''}${CUT_MARK}` });
      expect(out.logs.reduce((sum, entry) => sum + Buffer.byteLength(entry.text), 0)).toBeLessThanOrEqual(95);
    });

    it('ignores a throwing log hook: the run and its logs are unharmed', async () => {
      const bridge: HostBridge = {
        log: () => {
          throw new Error('listener broke');
        },
        call: async () => ({ ok: true, json: '1' }),
      };
      const out = await run('(async () => { const { log } = console; log("a"); await gh.echo({}); log("b"); return 3 })', {}, bridge);
      expect(out.ok && out.valueJson).toBe('3');
      expect(out.logs.map((entry) => entry.text)).toEqual(['a', 'b']);
    });

    it('round-trips a host call: args cross as JSON text, the reply is parsed in the guest', async () => {
      const bridge = new RecordingBridge();
      const out = await run('(async () => { const r = await gh.echo({ owner: "me", n: 2 }); const d = await gh.echo(); return [r, d.args] })', {}, bridge);
      expect(out.ok && JSON.parse(out.valueJson ?? 'null')).toEqual([{ namespace: 'gh', fn: 'echo', args: { owner: 'me', n: 2 } }, {}]);
      expect(bridge.calls.map((c) => c.argsJson)).toEqual(['{"owner":"me","n":2}', '{}']);
      expect(out.stats.hostCalls).toBe(2);
    });

    it('rejects arguments JSON cannot carry with a TypeError naming the function', async () => {
      const bridge = new RecordingBridge();
      const out = await run(`(async () => {
        const cyclic = {}; cyclic.self = cyclic;
        const tries = [cyclic, { n: 1n }, { get x() { throw new Error('getter'); } }];
        const seen = [];
        for (const args of tries) { try { await gh.echo(args); } catch (e) { seen.push(e.name + ': ' + e.message); } }
        return seen;
      })`, {}, bridge);
      const seen = out.ok ? (JSON.parse(out.valueJson ?? '[]') as string[]) : [];
      expect(seen).toHaveLength(3);
      for (const line of seen) expect(line).toMatch(/^TypeError: gh\.echo: /);
      expect(bridge.calls).toHaveLength(0);
    });

    it('makes a tool error a catchable ToolError with code and data', async () => {
      const out = await run('(async () => { try { await gh.fail({}) } catch (e) { return [e instanceof ToolError, e instanceof Error, e.name, e.code, e.message, e.data] } })');
      expect(out.ok && JSON.parse(out.valueJson ?? 'null')).toEqual([true, true, 'ToolError', 'TOOL_ERROR', 'no such issue', { status: 404 }]);
    });

    it('reports an uncaught ToolError as GUEST_THREW with its data', async () => {
      const out = await expectFailure('(async () => {\n  await gh.fail({});\n})', 'GUEST_THREW');
      expect(out.ok ? undefined : out.error).toMatchObject({ name: 'ToolError', message: 'no such issue', data: { status: 404 } });
    });

    it('ends the whole run on a fatal bridge reply, with that code', async () => {
      const out = await expectFailure('(async () => { try { await gh.fatal({}) } catch { return "caught" } return "went on" })', 'LIMIT_TOOL_CALLS');
      expect(out.ok ? undefined : out.error.message).toBe('tool call limit reached');
    });

    it('reports a runtime error as GUEST_THREW with name and position', async () => {
      const out = await expectFailure('(async () => {\n  const a = 1;\n  return a.b.c;\n})', 'GUEST_THREW');
      expect(out.ok ? undefined : out.error).toMatchObject({ name: 'TypeError', position: { line: 3, column: expect.any(Number) as number } });
    });

    it('reports a value that JSON cannot carry as GUEST_THREW', async () => {
      const out = await expectFailure('(async () => { const a = {}; a.a = a; return a })', 'GUEST_THREW');
      expect(out.ok ? '' : out.error.message).toMatch(/not JSON-serializable/);
    });

    it('stops a busy loop with SANDBOX_CPU', async () => {
      await expectFailure('(async () => { for (;;) {} })', 'SANDBOX_CPU');
    });

    it('stops a busy loop that starts after an awaited host call', async () => {
      await expectFailure('(async () => { await gh.echo({}); for (;;) {} })', 'SANDBOX_CPU');
    });

    it('does not count time spent awaiting the host as CPU time', async () => {
      const out = await run('(async () => { for (let i = 0; i < 8; i++) await gh.slow({}); return 1 })', { cpuMs: 100 });
      expect(codeOf(out)).toBe('ok');
      expect(out.stats.wallMs).toBeGreaterThan(300);
      expect(out.stats.cpuMs).toBeLessThan(100);
    });

    it('ends a run awaiting a host call that never answers with SANDBOX_TIMEOUT', async () => {
      await expectFailure('(async () => { await gh.never({}); return 1 })', 'SANDBOX_TIMEOUT', { wallMs: 300 });
    });

    // A flood is ended by its memory limit; its wall clock is set past the CPU limit, so that a loaded
    // machine, which starves the run of CPU, cannot end it first.
    const FLOOD: Partial<Limits> = { cpuMs: 5_000, wallMs: 20_000 };

    it('stops a string flood with SANDBOX_MEMORY', async () => {
      await expectFailure('(async () => { const keep = []; for (let i = 0; ; i++) keep.push("x".repeat(1 << 16) + i) })', 'SANDBOX_MEMORY', FLOOD);
      await expectFailure('(async () => "x".repeat(2 ** 28).length)', 'SANDBOX_MEMORY', FLOOD);
    });

    it('stops an array flood with SANDBOX_MEMORY, even if the program catches errors', async () => {
      await expectFailure('(async () => { const a = []; for (;;) a.push(a.length) })', 'SANDBOX_MEMORY', FLOOD);
      await expectFailure('(async () => { const a = []; for (;;) { try { a.push({ a: [a.length] }) } catch {} } })', 'SANDBOX_MEMORY', FLOOD);
    });

    it('stops deep recursion with SANDBOX_STACK', async () => {
      await expectFailure('(async () => { const f = (n) => f(n + 1) + 1; return f(0) })', 'SANDBOX_STACK');
    });

    it('stops a microtask flood', async () => {
      await expectFailure('(async () => { const f = () => Promise.resolve().then(f); f(); await new Promise(() => {}) })', ['SANDBOX_CPU', 'SANDBOX_MEMORY']);
    });

    it('offers nothing ambient: no process, require, timers, fetch or host modules', async () => {
      const out = await run(`(async () => {
        let viaFunction;
        try { viaFunction = typeof this.constructor.constructor('return process')(); } catch (e) { viaFunction = e.name; }
        let viaImport;
        try { await import('node:fs'); viaImport = 'loaded'; } catch (e) { viaImport = 'refused'; }
        return [typeof process, typeof require, typeof setTimeout, typeof setInterval, typeof fetch, typeof module, viaFunction, viaImport];
      })`);
      expect(out.ok && JSON.parse(out.valueJson ?? 'null')).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'ReferenceError', 'refused']);
    });

    it('hides the host functions: every global is a standard built-in, console, ToolError or a namespace', async () => {
      const out = await run('(async () => [...Object.getOwnPropertyNames(globalThis), ...Object.getOwnPropertySymbols(globalThis).map(String)])');
      const names = out.ok ? (JSON.parse(out.valueJson ?? '[]') as string[]) : [];
      expect(names.filter((n) => !STANDARD_GLOBALS.has(n) && !['console', 'ToolError', 'gh'].includes(n))).toEqual([]);
      expect(names).toEqual(expect.arrayContaining(['console', 'ToolError', 'gh']));
    });

    it('installs namespaces as frozen, null-prototype objects of async functions', async () => {
      const out = await run('(async () => [Object.isFrozen(gh), Object.getPrototypeOf(gh), Object.keys(gh), gh.echo.constructor.name])');
      expect(out.ok && JSON.parse(out.valueJson ?? 'null')).toEqual([true, null, API.gh, 'AsyncFunction']);
    });

    it('never shares globals between runs, concurrent or not', async () => {
      const [a, b] = await Promise.all([
        run('(async () => { globalThis.secret = "a"; Object.prototype.polluted = 1; await gh.slow({}); return [secret, typeof ({}).polluted] })'),
        run('(async () => { await gh.slow({}); return [typeof secret, typeof ({}).polluted] })'),
      ]);
      expect(a.ok && JSON.parse(a.valueJson ?? 'null')).toEqual(['a', 'number']);
      expect(b.ok && JSON.parse(b.valueJson ?? 'null')).toEqual(['undefined', 'undefined']);
      const c = await run('(async () => [typeof secret, typeof ({}).polluted])');
      expect(c.ok && JSON.parse(c.valueJson ?? 'null')).toEqual(['undefined', 'undefined']);
    });

    it('ends a run whose result is too large with LIMIT_OUTPUT', async () => {
      await expectFailure('(async () => "x".repeat(100 * 1024))', 'LIMIT_OUTPUT');
      // Few enough characters, too many UTF-8 bytes.
      await expectFailure('(async () => "€".repeat(30 * 1024))', 'LIMIT_OUTPUT');
    });

    it('reports a syntax error in the program with its position', async () => {
      const out = await expectFailure('(async () => {\n  const x = ;\n})', 'GUEST_THREW');
      expect(out.ok ? undefined : out.error).toMatchObject({ name: 'SyntaxError', position: { line: 2 } });
    });
  });
}
