// Each closure of the Python sandbox is needed (see python-closures.test.ts): stopping a run at its
// limits, and the worker's own JavaScript realm.
import { describe, expect, it } from 'vitest';
import type { Engine, Limits } from '../../src/sandbox/engine.js';
import type { PythonClosure } from '../../src/sandbox/python-closures.js';
import { createPythonEngine } from '../../src/sandbox/python-engine.js';
import { bridge, closureWorld, LIMITS, STARTUP_MS } from './python-closures-kit.js';

describe('the Python sandbox needs each of its closures: stopping a run', () => {
  const { world, withEngine } = closureWorld();

  it('terminate: a program that catches KeyboardInterrupt runs past its CPU limit until the gateway\'s backstop', async () => {
    await withEngine(['terminate'], async (run) => {
      const result = await run('ki-loop', world());
      expect(result.code).toBe('SANDBOX_TIMEOUT');
      expect(result.message).toMatch(/and its Python sandbox process was stopped$/);
    });
  }, STARTUP_MS);

  it('interrupt alone is held by terminate (the worker is stopped); both removed: a plain loop runs until the backstop', async () => {
    await withEngine(['interrupt'], async (run) => {
      const result = await run('cpu-loop', world());
      expect(result.code).toBe('SANDBOX_CPU');
      expect(result.message).toMatch(/and its worker was stopped$/);
    });
    await withEngine(['interrupt', 'terminate'], async (run) => {
      const result = await run('cpu-loop', world());
      expect(result.code).toBe('SANDBOX_TIMEOUT');
      expect(result.message).toMatch(/and its Python sandbox process was stopped$/);
    });
  }, 2 * STARTUP_MS);
});

// The two closures of the worker's realm (python-realm.ts), each shown by two runs in one worker:
// what the first leaves in the realm, the second meets.
describe('the Python sandbox needs its realm closures', () => {
  const FIND_HOST_CALL = 'import sys\nf = sys._getframe()\nwhile "host_call" not in f.f_locals:\n    f = f.f_back\nhc = f.f_locals["host_call"]\nproto = hc.constructor.getPrototypeOf(hc)\n';
  const MARK = `${FIND_HOST_CALL}try:\n    proto.cemcp_mark = "left"\n    return "marked"\nexcept Exception as e:\n    return type(e).__name__`;
  const READ_MARK = `${FIND_HOST_CALL}return getattr(proto, "cemcp_mark", None)`;
  const SPIN_LATER = 'import asyncio\ndef spin():\n    while True:\n        pass\nasyncio.get_event_loop().call_later(0.3, spin)\nreturn 1';

  /** The first program, a pause (`pauseMs`: what it left behind gets going), then the second, in one worker. */
  async function twoRuns(removed: readonly PythonClosure[], first: string, second: string, pauseMs = 0): Promise<[unknown, unknown]> {
    const engine: Engine = createPythonEngine({ poolSize: 1, graceMs: 500, removeClosuresForTest: removed });
    const limits: Limits = { ...LIMITS, cpuMs: 2_000, wallMs: 4_000 };
    const answer = async (code: string) => {
      const out = await engine.run({ code, filename: 'program.py', api: {}, limits }, bridge);
      return out.ok ? (out.valueJson === undefined ? null : JSON.parse(out.valueJson)) : out.error.code;
    };
    try {
      const before = await answer(first);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      return [before, await answer(second)];
    } finally {
      await engine.close();
    }
  }

  it('frozen-intrinsics: in place, a mark on the prototype every function shares is refused; removed, the next run sees it', async () => {
    expect(await twoRuns([], MARK, READ_MARK)).toEqual(['JsException', null]);
    expect(await twoRuns(['frozen-intrinsics'], MARK, READ_MARK)).toEqual(['marked', 'left']);
  }, 2 * STARTUP_MS);

  it('pending-timers: in place, a callback left to spin after the run costs the next run nothing; removed, it stalls it', async () => {
    expect(await twoRuns([], SPIN_LATER, 'return 2', 1_000)).toEqual([1, 2]);
    const [, stalled] = await twoRuns(['pending-timers'], SPIN_LATER, 'return 2', 1_000);
    expect(['SANDBOX_CPU', 'SANDBOX_TIMEOUT']).toContain(stalled);
  }, 2 * STARTUP_MS);
});
