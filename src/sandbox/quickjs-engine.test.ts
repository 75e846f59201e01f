import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CemcpError } from '../common/index.js';
import { CONTRACT_LIMITS, RecordingBridge, engineContract } from './engine.contract.js';
import type { Engine, Limits, RunOutcome } from './engine.js';
import { createQuickJsEngine } from './quickjs-engine.js';

// One worker: "the very next run" after a failure is then on the same worker.
engineContract(() => createQuickJsEngine({ poolSize: 1 }), 'QuickJS engine, one worker');

const request = (code: string, limits: Partial<Limits> = {}) => ({
  code,
  filename: 'program.js',
  api: { gh: ['echo', 'slow', 'never'] },
  limits: { ...CONTRACT_LIMITS, ...limits },
});

const valueOf = (outcome: RunOutcome): unknown => (outcome.ok && outcome.valueJson !== undefined ? JSON.parse(outcome.valueJson) : undefined);

describe('createQuickJsEngine', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = createQuickJsEngine({ poolSize: 2, watchdogGraceMs: 150, maxArgumentBytes: 1_000 });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('runs programs on two workers at once', async () => {
    // A rendezvous, not a stopwatch: each run's call answers only once both runs have called, so
    // two runs served one after the other would end in a wall-time limit instead.
    let arrived = 0;
    let release: () => void = () => undefined;
    const both = new Promise<void>((resolve) => (release = resolve));
    const rendezvous = { async call() { if (++arrived === 2) release(); await both; return { ok: true as const, json: '"met"' }; } };
    const outs = await Promise.all([1, 2].map((n) => engine.run(request(`(async () => { await gh.slow({}); return ${n} })`, { wallMs: 10_000 }), rendezvous)));
    expect(outs.map(valueOf)).toEqual([1, 2]);
  });

  it('cancels a running and a queued run on abort, and serves the next run', async () => {
    const controller = new AbortController();
    const spin = request('(async () => { for (;;) {} })', { cpuMs: 60_000, wallMs: 60_000 });
    const runs = [1, 2, 3].map(() => engine.run(spin, new RecordingBridge(), controller.signal));
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const outs = await Promise.all(runs);
    expect(outs.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['SANDBOX_CANCELLED', 'SANDBOX_CANCELLED', 'SANDBOX_CANCELLED']);
    expect(performance.now() - started).toBeLessThan(5_000);
    const after = await engine.run(request('(async () => "after")'), new RecordingBridge(), AbortSignal.abort());
    expect(after.ok ? 'ok' : after.error.code).toBe('SANDBOX_CANCELLED');
    expect(valueOf(await engine.run(request('(async () => "next")'), new RecordingBridge()))).toBe('next');
  });

  it('says why a run was cancelled when the abort reason is a SANDBOX_CANCELLED error (the gateway stopping), and "by the client" otherwise', async () => {
    const controller = new AbortController();
    const running = engine.run(request('(async () => { for (;;) {} })', { cpuMs: 60_000, wallMs: 60_000 }), new RecordingBridge(), controller.signal);
    setTimeout(() => controller.abort(new CemcpError('SANDBOX_CANCELLED', 'the gateway is shutting down')), 100);
    const out = await running;
    expect(out.ok ? 'ok' : out.error).toMatchObject({ code: 'SANDBOX_CANCELLED', message: 'the gateway is shutting down' });
    const plain = await engine.run(request('(async () => 1)'), new RecordingBridge(), AbortSignal.abort('client said stop'));
    expect(plain.ok ? 'ok' : plain.error.message).toBe('the run was cancelled by the client');
  });

  it('queues runs beyond the pool size and answers them all', async () => {
    const outs = await Promise.all(Array.from({ length: 7 }, (_, i) => engine.run(request(`(async () => ${i})`), new RecordingBridge())));
    expect(outs.map(valueOf)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('stops a worker stuck in native code with its watchdog, and harms no other run', async () => {
    // A single huge join never reaches QuickJS's interrupt check; only the host can stop it.
    const stuck = engine.run(request('(async () => { new Array(2 ** 24).join("ab"); return "done" })', { wallMs: 150, cpuMs: 60_000, memoryBytes: 64 * 2 ** 20 }), new RecordingBridge());
    const other = engine.run(request('(async () => { for (let i = 0; i < 6; i++) await gh.slow({}); return "other" })'), new RecordingBridge());
    const [a, b] = await Promise.all([stuck, other]);
    expect(a.ok ? 'ok' : a.error.code).toBe('SANDBOX_TIMEOUT');
    expect(a.ok ? '' : a.error.message).toMatch(/worker was stopped/);
    expect(valueOf(b)).toBe('other');
    const next = await Promise.all([1, 2].map((n) => engine.run(request(`(async () => ${n})`), new RecordingBridge())));
    expect(next.map(valueOf)).toEqual([1, 2]);
  });

  it('stops a worker stuck in native code past its CPU limit, long before its wall limit', async () => {
    const started = performance.now();
    const out = await engine.run(request('(async () => { new Array(2 ** 24).join("ab"); for (;;) {} })', { wallMs: 30_000, cpuMs: 100, memoryBytes: 64 * 2 ** 20 }), new RecordingBridge());
    expect(out.ok ? 'ok' : out.error.code).toBe('SANDBOX_CPU');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('gives the guest the requested stack, up to what its worker can hold', async () => {
    const depth = (stackBytes: number) =>
      engine.run(request('(async () => { let d = 0; const f = () => { d++; f(); }; try { f(); } catch {} return d })', { stackBytes }), new RecordingBridge());
    const small = valueOf(await depth(64 * 1024)) as number;
    const large = valueOf(await depth(512 * 1024)) as number;
    expect(small).toBeGreaterThan(100);
    expect(large).toBeGreaterThan(small * 4);
  });

  it('lets a 64 MiB program use tens of MiB', async () => {
    const out = await engine.run(
      request('(async () => { const keep = []; for (let i = 0; i < 40; i++) keep.push("x".repeat(2 ** 20) + i); return keep.length })', { memoryBytes: 64 * 2 ** 20, cpuMs: 5_000 }),
      new RecordingBridge(),
    );
    expect(valueOf(out)).toBe(40);
  });

  it('refuses call arguments over maxArgumentBytes in the guest, counting UTF-8 bytes', async () => {
    const bridge = new RecordingBridge();
    const out = await engine.run(
      request(`(async () => {
        const seen = [];
        for (const s of ['x'.repeat(2000), '€'.repeat(500), 'ok']) {
          try { await gh.echo({ s }); seen.push('sent'); } catch (e) { seen.push(e.name); }
        }
        return seen;
      })`),
      bridge,
    );
    expect(valueOf(out)).toEqual(['RangeError', 'RangeError', 'sent']);
    expect(bridge.calls).toHaveLength(1);
  });

  it('refuses tool calls made after the program settled (toJSON of the value, getters of the error) and counts them', async () => {
    const bridge = new RecordingBridge();
    const value = await engine.run(request('(async () => ({ toJSON() { gh.echo({}); gh.echo({}); return "v"; } }))'), bridge);
    expect(valueOf(value)).toBe('v');
    expect(value.stats.lateCalls).toBe(2);
    const thrown = await engine.run(request('(async () => { throw { get message() { gh.echo({}); return "m"; } }; })'), bridge);
    expect(thrown.ok ? '' : thrown.error.message).toContain('m');
    expect(thrown.stats.lateCalls).toBe(1);
    expect(bridge.calls).toHaveLength(0);
  });

  it('ends a run whose host reply does not fit in guest memory with SANDBOX_MEMORY', async () => {
    const huge = JSON.stringify('x'.repeat(24 * 2 ** 20));
    const bridge = { call: async () => ({ ok: true as const, json: huge }) };
    const out = await engine.run(request('(async () => { try { return (await gh.echo({})).length } catch { return "caught" } })', { cpuMs: 5_000 }), bridge);
    expect(out.ok ? 'ok' : out.error.code).toBe('SANDBOX_MEMORY');
  });

  it('never gives the guest a namespace or function named like a prototype key', async () => {
    const out = await engine.run(
      { ...request('(async () => [Object.keys(ns), Object.prototype.hasOwnProperty.call(globalThis, "constructor")])'), api: { ns: ['ok', '__proto__', 'constructor'], __proto__: ['x'], constructor: ['y'] } },
      new RecordingBridge(),
    );
    expect(valueOf(out)).toEqual([['ok'], false]);
  });
});

// Each worker prepares its next instance (prelude included) while idle: what a run does to that
// prelude's world (console, ToolError, intrinsics, namespaces) must die with the run.
describe('createQuickJsEngine: the next run on the same worker', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = createQuickJsEngine({ poolSize: 1 });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('sees none of what the previous run changed, and only its own namespaces', async () => {
    const vandal = `(async () => {
      globalThis.leftover = 1;
      console.log = () => { throw new Error('patched'); };
      ToolError.prototype.name = 'Patched';
      JSON.parse = () => 'patched';
      Object.prototype.polluted = 1;
      Promise.prototype.then = function () { throw new Error('patched'); };
      return Object.keys(gh);
    })`;
    const first = await engine.run(request(vandal), new RecordingBridge());
    expect(valueOf(first)).toEqual(['echo', 'slow', 'never']);
    const check = `(async () => {
      console.log('still mine');
      const reply = await other.echo({ n: 1 });
      return [typeof leftover, typeof gh, new ToolError('x').name, typeof ({}).polluted, reply.args.n];
    })`;
    const second = await engine.run({ ...request(check), api: { other: ['echo'] } }, new RecordingBridge());
    expect(valueOf(second)).toEqual(['undefined', 'undefined', 'ToolError', 'undefined', 1]);
    expect(second.logs).toEqual([{ level: 'log', text: 'still mine' }]);
  });

  it('gets its own log budget and limits, not the previous run\'s', async () => {
    const noisy = request('(async () => { for (let i = 0; i < 100; i++) console.log("x".repeat(50)); return 1 })', { maxLogBytes: 10 });
    const cut = await engine.run(noisy, new RecordingBridge());
    expect(cut.logsTruncated).toBe(true);
    const roomy = await engine.run(request('(async () => { console.log("y".repeat(200)); return 2 })', { maxLogBytes: 10_000 }), new RecordingBridge());
    expect(roomy.logsTruncated).toBe(false);
    expect(roomy.logs).toEqual([{ level: 'log', text: 'y'.repeat(200) }]);
  });
});

describe('createQuickJsEngine with a broken worker', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cemcp-sandbox-'));
  const crashing = path.join(dir, 'crashing-worker.mjs');
  writeFileSync(
    crashing,
    `import { parentPort } from 'node:worker_threads';
     parentPort.postMessage({ type: 'ready' });
     parentPort.on('message', (m) => { if (m.type === 'run') process.exit(3); });`,
  );

  it('ends a run whose worker dies with SANDBOX_CRASHED, and replaces the worker', async () => {
    const engine = createQuickJsEngine({ poolSize: 1, workerEntry: pathToFileURL(crashing) });
    const first = await engine.run(request('(async () => 1)'), new RecordingBridge());
    const second = await engine.run(request('(async () => 1)'), new RecordingBridge());
    await engine.close();
    expect(first.ok ? 'ok' : first.error.code).toBe('SANDBOX_CRASHED');
    expect(second.ok ? 'ok' : second.error.code).toBe('SANDBOX_CRASHED');
  });

  it('fails runs with a clear message when the worker entry is missing', async () => {
    const engine = createQuickJsEngine({ workerEntry: pathToFileURL(path.join(dir, 'missing.js')) });
    const out = await engine.run(request('(async () => 1)'), new RecordingBridge());
    await engine.close();
    expect(out.ok ? '' : out.error.message).toMatch(/worker entry is missing/);
  });

  it('ends pending runs with SANDBOX_CRASHED on close', async () => {
    const engine = createQuickJsEngine({ poolSize: 1 });
    const pending = engine.run(request('(async () => { await gh.never({}); })', { wallMs: 10_000 }), new RecordingBridge());
    const queued = engine.run(request('(async () => 1)'), new RecordingBridge());
    await new Promise((resolve) => setTimeout(resolve, 200));
    await engine.close();
    const outs = await Promise.all([pending, queued]);
    expect(outs.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['SANDBOX_CRASHED', 'SANDBOX_CRASHED']);
    const after = await engine.run(request('(async () => 1)'), new RecordingBridge());
    expect(after.ok ? 'ok' : after.error.code).toBe('SANDBOX_CRASHED');
  });
});
