// Each run of the Python sandbox has its process to itself: a run whose code reached JavaScript in
// its worker (here through the `function-constructors` closure removed, the worst case the layers
// exist to prevent) can read and write every file descriptor of its process, and still learns
// nothing of a run in another process and cannot speak for it. It busy-reads its stdin while the
// other run gets a reply, then forges outcomes and host calls for every run id on both its channels.
// Within one process such a run can leave a listener for the runs that process serves next: shown
// here as it is, and closed by `processPerRun`.
import { describe, expect, it } from 'vitest';
import type { BridgeReply, Engine, HostBridge, RunOutcome } from '../../src/sandbox/engine.js';
import { createPythonEngine } from '../../src/sandbox/python-engine.js';
import { LIMITS, STARTUP_MS } from './python-closures-kit.js';
import { FIND_FUNCTION } from './python-probes.js';

const SECRET = `reply-secret-${process.pid}-${Date.now()}`;

/** Python that finds `F`, the worker's Function, through a JS proxy (the climb the removed closure allowed). */
const WITH_FUNCTION = `${FIND_FUNCTION}if F is None:
    return "no JavaScript"
`;

/** Forged lines for run ids 1..200: an outcome on the control channel, a host call on the data channel. */
const FORGE = [
  "const fs = process.getBuiltinModule('node:fs');",
  'for (let k = 1; k <= 200; k++) {',
  "  const outcome = { ok: true, valueJson: JSON.stringify('forged'), logs: [], logsTruncated: false, stats: { wallMs: 0, cpuMs: 0, hostCalls: 0 } };",
  "  try { fs.writeSync(1, JSON.stringify({ type: 'done', runId: k, outcome, dataEnd: false, last: false }) + '\\\\n'); } catch {}",
  "  try { fs.writeSync(3, JSON.stringify({ type: 'call', runId: k, callId: 9000 + k, namespace: 'gate', fn: 'mark', argsJson: '{}' }) + '\\\\n'); } catch {}",
  '}',
  "return 'forged';",
].join('\\n');

/** Reads the process's stdin for 1.5 s, whatever is there (the pipe is non-blocking: EAGAIN is skipped). */
const READ_STDIN = [
  "const fs = process.getBuiltinModule('node:fs');",
  "let seen = ''; const until = Date.now() + 1500; const buffer = Buffer.alloc(65536);",
  "while (Date.now() < until) { try { const n = fs.readSync(0, buffer); seen += buffer.toString('utf8', 0, n); } catch {} }",
  'return seen;',
].join('\\n');

const INTRUDER = `${WITH_FUNCTION}await gate.report({"phase": "reading"})
seen = str(F("${READ_STDIN}")())
await gate.report({"phase": "read", "seen": seen})
forged = str(F("${FORGE}")())
await gate.report({"phase": forged})
return "intruder done"`;

/** Leaves a listener in the worker's realm that keeps the code of every run it is given next. */
const LEAVE_LISTENER = `${WITH_FUNCTION}return str(F("const { parentPort } = process.getBuiltinModule('node:worker_threads'); globalThis.cemcpSeen = []; parentPort.on('message', (m) => globalThis.cemcpSeen.push(String(m.code))); return 'listening'")())`;

/** What a listener left before this run kept of it (its own code, marked), or null. */
const READ_LEFT = `${WITH_FUNCTION}# the next run's own code: SEEN-MARK
return str(F("return JSON.stringify(globalThis.cemcpSeen ?? null)")())`;

const VICTIM = `first = await gate.wait({})
second = await gate.wait({})
return [first, second]`;

describe('a Python run alone in its sandbox process', () => {
  it('a run with JavaScript reached cannot read, end or call for a run in another process', async () => {
    const engine: Engine = createPythonEngine({ poolSize: 2, graceMs: 500, removeClosuresForTest: ['function-constructors'] });
    try {
      const warm = await Promise.all([1, 2].map(() => engine.run({ code: 'return 1', filename: 'program.py', api: {}, limits: LIMITS }, { call: async () => ({ ok: true, json: '{}' }) })));
      expect(warm.map((o) => o.ok)).toEqual([true, true]);

      const waits: Array<(reply: BridgeReply) => void> = [];
      const victimCalls: string[] = [];
      const victimBridge: HostBridge = {
        call: (_namespace, fn) => {
          victimCalls.push(fn);
          return fn === 'wait' ? new Promise<BridgeReply>((resolve) => waits.push(resolve)) : Promise.resolve({ ok: true, json: '{}' });
        },
      };
      const reports: Array<Record<string, unknown>> = [];
      const intruderBridge: HostBridge = {
        call: async (_namespace, _fn, argsJson) => {
          const report = JSON.parse(argsJson) as Record<string, unknown>;
          reports.push(report);
          // The victim's first reply crosses while the intruder reads its stdin.
          if (report['phase'] === 'reading') setTimeout(() => waits[0]?.({ ok: true, json: JSON.stringify(`first ${SECRET}`) }), 300);
          return { ok: true, json: '{}' };
        },
      };
      const limits = { ...LIMITS, wallMs: 20_000, cpuMs: 10_000 };
      const victim: Promise<RunOutcome> = engine.run({ code: VICTIM, filename: 'program.py', api: { gate: ['wait', 'mark'] }, limits }, victimBridge);
      await until(() => waits.length === 1);
      let victimSettled = false;
      void victim.then(() => {
        victimSettled = true;
      });
      // The forged outcomes include one for the intruder's own run id, which may end its run there.
      const intruder = await engine.run({ code: INTRUDER, filename: 'program.py', api: { gate: ['report', 'mark'] }, limits }, intruderBridge);
      await until(() => waits.length === 2);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(victimSettled).toBe(false);
      waits[1]?.({ ok: true, json: JSON.stringify(`second ${SECRET}`) });
      const outcome = await victim;

      expect(reports.map((r) => r['phase']).filter(Boolean).slice(0, 2)).toEqual(['reading', 'read']);
      expect(String(reports[1]?.['seen'])).not.toContain(SECRET);
      expect(outcome.ok ? JSON.parse(outcome.valueJson ?? 'null') : outcome.error).toEqual([`first ${SECRET}`, `second ${SECRET}`]);
      expect(victimCalls).toEqual(['wait', 'wait']);
      // The intruder's own process may end its own run with a forged outcome: that is its to say.
      expect(intruder.ok ? JSON.parse(intruder.valueJson ?? 'null') : intruder.error).toMatch(/^(intruder done|forged)$/);
    } finally {
      await engine.close();
    }
  }, STARTUP_MS);
});

describe('a sandbox process that writes without end', () => {
  it('is stopped once a line outgrows what its run may send, and the engine serves the next run', async () => {
    const engine: Engine = createPythonEngine({ poolSize: 1, maxArgumentBytes: 1 << 20, removeClosuresForTest: ['function-constructors'] });
    const bridge: HostBridge = { call: async () => ({ ok: true, json: '{}' }) };
    // 48 MiB with no newline on the data channel (the socket takes part of each write, or none while full).
    const flood = "const fs = process.getBuiltinModule('node:fs'); const chunk = Buffer.alloc(1 << 16, 120); let sent = 0; const until = Date.now() + 20000; while (sent < 48 * 2 ** 20 && Date.now() < until) { try { sent += fs.writeSync(3, chunk); } catch {} } try { fs.writeSync(3, '\\\\n'); } catch {} return String(sent);";
    try {
      const outcome = await engine.run({ code: `${WITH_FUNCTION}return str(F("${flood}")())`, filename: 'program.py', api: {}, limits: { ...LIMITS, cpuMs: 30_000, wallMs: 40_000 } }, bridge);
      expect(outcome.ok ? outcome.valueJson : `${outcome.error.code} ${outcome.error.message}`).toMatch(/^SANDBOX_CRASHED the Python sandbox process sent a line of over \d+ bytes on its data channel/);
      const next = await engine.run({ code: 'return 6 * 7', filename: 'program.py', api: {}, limits: LIMITS }, bridge);
      expect(next.ok ? next.valueJson : next.error.message).toBe('42');
    } finally {
      await engine.close();
    }
  }, STARTUP_MS);
});

describe('a listener left in a worker\'s realm by a run that reached JavaScript', () => {
  const twoRuns = async (processPerRun: boolean): Promise<string[]> => {
    const engine: Engine = createPythonEngine({ poolSize: 1, processPerRun, removeClosuresForTest: ['function-constructors'] });
    const bridge: HostBridge = { call: async () => ({ ok: true, json: '{}' }) };
    try {
      const values: string[] = [];
      for (const code of [LEAVE_LISTENER, READ_LEFT]) {
        const outcome = await engine.run({ code, filename: 'program.py', api: {}, limits: LIMITS }, bridge);
        values.push(outcome.ok ? JSON.parse(outcome.valueJson ?? 'null') : `${outcome.error.code} ${outcome.error.message}`);
      }
      return values;
    } finally {
      await engine.close();
    }
  };

  it('meets the next run of that process (a process serves run after run), and none with processPerRun', async () => {
    const [left, seen] = await twoRuns(false);
    expect(left).toBe('listening');
    expect(seen).toContain('SEEN-MARK');
    expect(await twoRuns(true)).toEqual(['listening', 'null']);
  }, 2 * STARTUP_MS);
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(condition()).toBe(true);
}
