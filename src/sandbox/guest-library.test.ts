// A library namespace (RunRequest.library) in the real QuickJS engine (dist/ worker): functions
// written in guest JavaScript beside host functions, a gate call before each, nesting bounded,
// errors placed in the function's own source.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_LIMITS, RecordingBridge } from './engine.contract.js';
import type { BridgeReply, Engine, GuestLibrary, RunOutcome } from './engine.js';
import { createQuickJsEngine } from './quickjs-engine.js';

/** The recording bridge, plus a namespace `lib` whose gate refuses `{ bad: true }` arguments. */
class LibraryBridge extends RecordingBridge {
  override async call(namespace: string, fn: string, argsJson: string): Promise<BridgeReply> {
    if (namespace !== 'lib') return super.call(namespace, fn, argsJson);
    this.calls.push({ namespace, fn, argsJson });
    if (fn === 'list') return { ok: true, json: '["hello"]' };
    const { name, args } = JSON.parse(argsJson) as { name: string; args: { bad?: boolean } };
    if (args.bad) return { ok: false, error: { code: 'ARGUMENT_INVALID', message: `lib.${name}: args.bad is not allowed` } };
    return { ok: true, json: 'null' };
  }
}

const library = (functions: Record<string, string>, maxDepth = 3): GuestLibrary => ({ namespace: 'lib', gate: 'enter', maxDepth, functions });

const run = (engine: Engine, code: string, functions: Record<string, string>, bridge = new LibraryBridge(), maxDepth = 3): Promise<RunOutcome> =>
  engine.run({
    code, filename: 'program.ts', api: { gh: ['echo', 'fail'], lib: ['list', 'enter'] }, forms: { lib: 'library' },
    library: library(functions, maxDepth), limits: CONTRACT_LIMITS,
  }, bridge);

const valueOf = (outcome: RunOutcome): unknown => (outcome.ok && outcome.valueJson !== undefined ? JSON.parse(outcome.valueJson) : outcome);

describe('library namespaces in the guest', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = createQuickJsEngine({ poolSize: 1 });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('runs a library function on a copy of its arguments after the gate, beside the host functions', async () => {
    const bridge = new LibraryBridge();
    const out = await run(engine, `(async () => {
      const input = { who: 'Ada' };
      const greeting = await lib.hello(input);
      return [greeting, input.who, await lib.list(), Object.keys(lib).sort(), typeof lib.enter, Object.isFrozen(lib)];
    })`, { hello: '(async (args) => { const r = await gh.echo({ to: args.who }); args.who = "changed"; return "hi " + r.args.to })' }, bridge);
    expect(valueOf(out)).toEqual(['hi Ada', 'Ada', ['hello'], ['hello', 'list'], 'undefined', true]);
    expect(bridge.calls.map((c) => `${c.namespace}.${c.fn} ${c.argsJson}`)).toEqual([
      'lib.enter {"name":"hello","args":{"who":"Ada"}}', 'gh.echo {"to":"Ada"}', 'lib.list {}',
    ]);
  });

  it('refuses a call whose gate refuses, at the caller, before the body runs', async () => {
    const bridge = new LibraryBridge();
    const out = await run(engine, '(async () => {\n  return await lib.hello({ bad: true });\n})', { hello: '(async (args) => gh.echo({}))' }, bridge);
    expect(out.ok ? undefined : out.error).toMatchObject({ name: 'ToolError', toolCode: 'ARGUMENT_INVALID', message: 'lib.hello: args.bad is not allowed', position: { line: 2 } });
    expect(bridge.calls.map((c) => c.fn)).toEqual(['enter']);
  });

  it('places an error thrown in a library function in its own source, by name', async () => {
    const source = '(async (args) => {\n  await gh.echo({});\n  throw new Error("boom in " + args.x);\n})';
    const out = await run(engine, '(async () => {\n  return await lib.broken({ x: 1 });\n})', { broken: source });
    expect(out.ok ? undefined : out.error).toMatchObject({ code: 'GUEST_THREW', message: 'boom in 1', library: { name: 'broken', position: { line: 3, column: expect.any(Number) as number } } });
  });

  it('places a failed call inside a library function at its line there', async () => {
    const out = await run(engine, '(async () => lib.calls({}))', { calls: '(async () => {\n\n  return gh.fail({});\n})' });
    expect(out.ok ? undefined : out.error).toMatchObject({ name: 'ToolError', library: { name: 'calls', position: { line: 3 } } });
  });

  it('lets library functions call one another through the namespace, to a bounded depth', async () => {
    const functions = {
      outer: '(async (args) => "outer(" + await lib.inner({ n: args.n + 1 }) + ")")',
      inner: '(async (args) => "inner" + args.n)',
      loop: '(async (args) => lib.loop({ n: args.n + 1 }))',
    };
    expect(valueOf(await run(engine, '(async () => lib.outer({ n: 1 }))', functions))).toBe('outer(inner2)');
    const bridge = new LibraryBridge();
    const out = await run(engine, '(async () => { try { await lib.loop({ n: 0 }) } catch (e) { return [e.name, e.message] } })', functions, bridge, 4);
    expect(valueOf(out)).toEqual(['RangeError', 'lib.loop: lib may call one another at most 4 deep']);
    expect(bridge.calls.filter((c) => c.fn === 'enter')).toHaveLength(4);
  });

  it('installs the namespace as a non-writable global the program cannot replace', async () => {
    const out = await run(engine, '(async () => { try { lib = 1 } catch {} ; globalThis.lib2 = 1; return [typeof lib.hello, Object.getOwnPropertyDescriptor(globalThis, "lib").writable] })', {
      hello: '(async () => 1)',
    });
    expect(valueOf(out)).toEqual(['function', false]);
  });
});
