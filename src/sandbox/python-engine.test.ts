// The Python engine against the engine contract where it applies (programs in Python): values,
// print, host calls and ToolError, errors at the user's line, every limit with its code, and a
// crashed sandbox process replaced. Uses the built host (dist/sandbox/python-host.js) and a real
// bridge; after each failure the next run on the same engine must still work.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_LIMITS, RecordingBridge } from './engine.contract.js';
import type { Engine, HostBridge, Limits, LogEntry, RunOutcome } from './engine.js';
import { createPythonEngine } from './python-engine.js';

const API = { gh: ['echo', 'text', 'fail', 'fatal', 'slow', 'never'] };
// Python's own heap is ~30 MB before a program allocates; memoryBytes counts what the program adds.
const LIMITS: Limits = { ...CONTRACT_LIMITS, cpuMs: 1_500, wallMs: 8_000, memoryBytes: 32 * 2 ** 20 };
const STARTUP_MS = 180_000;

describe('createPythonEngine (the engine contract, in Python)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = createPythonEngine({ poolSize: 1, graceMs: 1_000 });
    // The first run waits for the sandbox process to make its interpreter snapshot.
    const first = await engine.run({ code: 'return 1', filename: 'program.py', api: API, limits: LIMITS }, new RecordingBridge());
    expect(first.ok).toBe(true);
  }, STARTUP_MS);
  afterAll(async () => {
    await engine.close();
  });

  const run = (code: string, limits: Partial<Limits> = {}, bridge: HostBridge = new RecordingBridge()): Promise<RunOutcome> =>
    engine.run({ code, filename: 'program.py', api: API, limits: { ...LIMITS, ...limits } }, bridge);
  const codeOf = (outcome: RunOutcome): string => (outcome.ok ? 'ok' : outcome.error.code);
  const valueOf = (outcome: RunOutcome): unknown => (outcome.ok && outcome.valueJson !== undefined ? JSON.parse(outcome.valueJson) : undefined);

  async function expectFailure(code: string, expected: string, limits: Partial<Limits> = {}): Promise<RunOutcome> {
    const outcome = await run(code, limits);
    expect(codeOf(outcome)).toBe(expected);
    expect(valueOf(await run('return 6 * 7'))).toBe(42);
    return outcome;
  }

  it('returns the JSON of the value, and None as undefined', async () => {
    const out = await run('return {"answer": 6 * 7, "list": [1, "two", None, True], "t": (1, 2)}');
    expect(valueOf(out)).toEqual({ answer: 42, list: [1, 'two', null, true], t: [1, 2] });
    const none = await run('x = 1');
    expect(none.ok).toBe(true);
    expect(none.ok ? none.valueJson : 'failed').toBeUndefined();
  });

  it('captures print() and stderr as console output, within maxLogBytes', async () => {
    const out = await run('import sys\nprint("a", 1, {"b": [2]})\nprint("x", file=sys.stderr)\nreturn 1');
    expect(out.logs).toEqual([{ level: 'log', text: "a 1 {'b': [2]}" }, { level: 'error', text: 'x' }]);
    const cut = await run('for i in range(100):\n    print("line", i, "€")\nreturn 1', { maxLogBytes: 50 });
    expect(cut.logsTruncated).toBe(true);
    expect(cut.logs.reduce((sum, e) => sum + Buffer.byteLength(e.text), 0)).toBeLessThanOrEqual(50);
    expect(cut.logs[0]).toEqual({ level: 'log', text: 'line 0 €' });
  });

  it('streams print() lines to bridge.log; lines printed before a call arrive before it', async () => {
    const streamed: LogEntry[] = [];
    const seenAtCall: string[][] = [];
    const bridge: HostBridge = {
      log: (entry) => streamed.push(entry),
      async call() {
        seenAtCall.push(streamed.map((entry) => entry.text));
        return { ok: true, json: '1' };
      },
    };
    const out = await run('print("before")\nawait gh.echo({})\nprint("after")\nreturn 2', {}, bridge);
    expect(valueOf(out)).toBe(2);
    expect(seenAtCall).toEqual([['before']]);
    expect(streamed.map((e) => e.text)).toEqual(['before', 'after']);
  });

  it('round-trips host calls with dict arguments, text replies and gather', async () => {
    const bridge = new RecordingBridge();
    const out = await run(`import asyncio
r = await gh.echo({"owner": "me", "n": 2})
d = await gh.echo()
both = await asyncio.gather(gh.echo({"i": 1}), gh.echo({"i": 2}))
t = [await gh.text({"text": '{"a": [1]}'}), await gh.text({"text": "The sum is 5"})]
return [r, d["args"], [b["args"]["i"] for b in both], t]`, {}, bridge);
    expect(valueOf(out)).toEqual([{ namespace: 'gh', fn: 'echo', args: { owner: 'me', n: 2 } }, {}, [1, 2], [{ a: [1] }, 'The sum is 5']]);
    expect(bridge.calls.map((c) => c.argsJson).slice(0, 2)).toEqual(['{"owner": "me", "n": 2}', '{}']);
    expect(out.stats.hostCalls).toBe(6);
  });

  it('refuses arguments JSON cannot carry with a TypeError naming the function', async () => {
    const bridge = new RecordingBridge();
    const out = await run('seen = []\nfor a in [{"s": {1, 2}}, {"f": float("nan")}, {"o": object()}]:\n    try:\n        await gh.echo(a)\n    except TypeError as e:\n        seen.append(str(e))\nreturn seen', {}, bridge);
    const seen = valueOf(out) as string[];
    expect(seen).toHaveLength(3);
    for (const line of seen) expect(line).toMatch(/^gh\.echo: arguments must be JSON data/);
    expect(bridge.calls).toHaveLength(0);
  });

  it('makes a tool error a catchable ToolError with code, message and data', async () => {
    const out = await run('try:\n    await gh.fail({})\nexcept ToolError as e:\n    return [isinstance(e, Exception), type(e).__name__, e.code, e.message, e.data]');
    expect(valueOf(out)).toEqual([true, 'ToolError', 'TOOL_ERROR', 'no such issue', { status: 404 }]);
  });

  it('reports an uncaught ToolError as GUEST_THREW with its code, data and line', async () => {
    const out = await expectFailure('x = 1\nawait gh.fail({})', 'GUEST_THREW');
    expect(out.ok ? undefined : out.error).toMatchObject({ name: 'ToolError', message: 'no such issue', toolCode: 'TOOL_ERROR', data: { status: 404 }, position: { line: 2 } });
  });

  it('ends the whole run on a fatal bridge reply, with that code', async () => {
    const out = await expectFailure('try:\n    await gh.fatal({})\nexcept BaseException:\n    return "caught"\nreturn "went on"', 'LIMIT_TOOL_CALLS');
    expect(out.ok ? undefined : out.error.message).toBe('tool call limit reached');
  });

  it('reports a syntax error with the user\'s line and column', async () => {
    const out = await expectFailure('x = 1\nif x:\n    y = (\n', 'SYNTAX_ERROR');
    expect(out.ok ? undefined : out.error).toMatchObject({ name: 'SyntaxError', position: { line: 3, column: 9 } });
  });

  it('reports a runtime error at the user\'s innermost line, the traceback trimmed to the user\'s frames', async () => {
    const out = await expectFailure('import json\ndef parse(t):\n    return json.loads(t)\nparse("{broken")', 'GUEST_THREW');
    const error = out.ok ? undefined : out.error;
    expect(error).toMatchObject({ name: 'JSONDecodeError', position: { line: 3, column: 12 } });
    expect(error?.message).toContain('line 4, in the program\n  line 3, in parse');
    expect(error?.message).not.toMatch(/json\/decoder|\.py"|Traceback/);
  });

  it('reports a value JSON cannot carry as GUEST_THREW', async () => {
    const out = await expectFailure('return {1, 2}', 'GUEST_THREW');
    expect(out.ok ? '' : out.error.message).toMatch(/not JSON-serializable/);
  });

  it('ends a return value over maxResultBytes with LIMIT_OUTPUT', async () => {
    await expectFailure('return "x" * 100000', 'LIMIT_OUTPUT', { maxResultBytes: 1_000 });
  });

  it('stops a busy loop with SANDBOX_CPU, also after an awaited host call', async () => {
    await expectFailure('while True:\n    pass', 'SANDBOX_CPU', { cpuMs: 300 });
    await expectFailure('await gh.echo({})\nx = 0\nwhile True:\n    x += 1', 'SANDBOX_CPU', { cpuMs: 300 });
  });

  it('interrupts a loop that starts after an idle pause (pyodide now and then drops the first interrupt: it is asked again)', async () => {
    const messages: string[] = [];
    for (let i = 0; i < 5; i++) {
      expect(valueOf(await run('return 1'))).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const outcome = await run('while True:\n    pass', { cpuMs: 300 });
      messages.push(outcome.ok ? 'ok' : `${outcome.error.code} ${outcome.error.message}`);
    }
    expect(messages.filter((m) => !/^SANDBOX_CPU .*more than 300 ms$/.test(m))).toEqual([]);
  }, 120_000);

  it('stops a program that catches KeyboardInterrupt in a loop by stopping its worker', async () => {
    const out = await expectFailure('while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass', 'SANDBOX_CPU', { cpuMs: 300 });
    expect(out.ok ? '' : out.error.message).toMatch(/worker was stopped/);
  });

  it('ends a run it interrupted for a limit with that limit, whatever error the program raised instead', async () => {
    await expectFailure('try:\n    while True:\n        pass\nexcept KeyboardInterrupt:\n    raise ValueError("mine")', 'SANDBOX_CPU', { cpuMs: 300 });
    await expectFailure('try:\n    while True:\n        pass\nexcept KeyboardInterrupt:\n    import sys\n    sys.exit(3)', 'SANDBOX_CPU', { cpuMs: 300 });
  });

  it('ends a run awaiting a host call that never answers with SANDBOX_TIMEOUT', async () => {
    await expectFailure('await gh.never({})\nreturn 1', 'SANDBOX_TIMEOUT', { wallMs: 500 });
  });

  it('does not count time awaiting the host as CPU time', async () => {
    // 20 calls of 50 ms each: over a second of waiting, under a CPU limit of 600 ms.
    const out = await run('for i in range(20):\n    await gh.slow({})\nreturn 1', { cpuMs: 600 });
    expect(codeOf(out), JSON.stringify(out.stats)).toBe('ok');
    expect(out.stats.wallMs).toBeGreaterThan(1_000);
    expect(out.stats.cpuMs).toBeLessThan(600);
  });

  it('stops a memory flood with SANDBOX_MEMORY, even when the program catches MemoryError', async () => {
    await expectFailure('x = "a" * 10**9\nreturn len(x)', 'SANDBOX_MEMORY');
    await expectFailure('keep = []\nwhile True:\n    try:\n        keep.append("x" * 2**20)\n    except MemoryError:\n        pass', 'SANDBOX_MEMORY', { cpuMs: 5_000 });
  });

  it('stops deep recursion with SANDBOX_STACK', async () => {
    await expectFailure('def f(n):\n    return f(n + 1) + 1\nreturn f(0)', 'SANDBOX_STACK');
  });

  it('gives each run a fresh interpreter: nothing of the previous run is left', async () => {
    const first = await run('import json, builtins\nbuiltins.leftover = 1\njson.dumps = lambda *a, **k: "patched"\nToolError.code = "patched"\nreturn 1');
    expect(valueOf(first)).toBe(1);
    const second = await run('import json, builtins\nreturn [hasattr(builtins, "leftover"), json.dumps([1]), hasattr(ToolError, "code")]');
    expect(valueOf(second)).toEqual([false, '[1]', false]);
  });
});

describe('createPythonEngine with a broken sandbox process', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cemcp-python-'));

  it('ends runs with SANDBOX_CRASHED when the process dies, and starts another for the next run', async () => {
    const dying = path.join(dir, 'sandbox', 'python-host.js');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(dying), { recursive: true }));
    // Makes a (meaningless) snapshot, says ready, and dies at the first run it is given.
    writeFileSync(dying, [
      'const settings = JSON.parse(process.argv[2]);',
      'if (settings.mode === "snapshot") {',
      '  const channel = new (require("node:net").Socket)({ fd: 3 });',
      '  channel.end(Buffer.from("not a snapshot"), () => { process.stdout.write(JSON.stringify({ type: "snapshot", bytes: 14 }) + "\\n"); process.exit(0); });',
      '} else {',
      '  process.stdout.write(JSON.stringify({ type: "ready" }) + "\\n");',
      '  process.stdin.once("data", () => process.exit(3));',
      '}',
    ].join('\n'));
    const engine = createPythonEngine({ hostEntry: dying, snapshotDir: path.join(dir, 'snapshots') });
    const first = await engine.run({ code: 'return 1', filename: 'program.py', api: API, limits: LIMITS }, new RecordingBridge());
    const second = await engine.run({ code: 'return 1', filename: 'program.py', api: API, limits: LIMITS }, new RecordingBridge());
    await engine.close();
    expect(first.ok ? '' : `${first.error.code} ${first.error.message}`).toMatch(/^SANDBOX_CRASHED .*exited \(code 3\)/);
    expect(second.ok ? '' : `${second.error.code} ${second.error.message}`).toMatch(/^SANDBOX_CRASHED .*exited \(code 3\)/);
  });

  it('makes the snapshot file again when it went missing under a running engine', async () => {
    const snapshots = path.join(dir, 'removed-snapshots');
    const engine = createPythonEngine({ poolSize: 1, snapshotDir: snapshots });
    try {
      const first = await engine.run({ code: 'return 1', filename: 'program.py', api: API, limits: LIMITS }, new RecordingBridge());
      expect(first.ok).toBe(true);
      for (const name of readdirSync(snapshots)) rmSync(path.join(snapshots, name));
      // This run ends its process; the one started in its place finds no snapshot and fails to start.
      const exited = await engine.run({ code: 'import os\nos._exit(0)', filename: 'program.py', api: API, limits: LIMITS }, new RecordingBridge());
      expect(exited.ok ? 'ok' : exited.error.code).toBe('SANDBOX_CRASHED');
      const after = await engine.run({ code: 'return 6 * 7', filename: 'program.py', api: API, limits: LIMITS }, new RecordingBridge());
      expect(after.ok ? after.valueJson : after.error.message).toBe('42');
      expect(readdirSync(snapshots).filter((name) => name.endsWith('.bin'))).toHaveLength(1);
    } finally {
      await engine.close();
    }
  }, STARTUP_MS);

  it('fails runs with a clear message when the host entry is missing', async () => {
    const engine = createPythonEngine({ hostEntry: path.join(dir, 'missing.js') });
    const out = await engine.run({ code: 'return 1', filename: 'program.py', api: API, limits: LIMITS }, new RecordingBridge());
    await engine.close();
    expect(out.ok ? '' : out.error.message).toMatch(/Python sandbox entry is missing/);
  });
});
