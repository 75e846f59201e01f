// The sandbox's event loop (python-loop.ts) in one pyodide interpreter, in this process: a host
// call's answer resumes the program inside `deliver`, asyncio keeps its semantics (order, gather,
// timers, timeouts, cancellation), and a run leaves no callback scheduled in the JS event loop.
import { loadPyodide, type PyodideInterface } from 'pyodide';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineBridgeModule } from './python-instance.js';
import { trackTimers, type TimerLedger } from './python-realm.js';

interface Cemcp {
  run_task(code: string, apiJson: string, formsJson: string, hostCall: (...args: unknown[]) => number): PromiseLike<unknown>;
  deliver(callId: number, ok: boolean, text: string, orText: boolean): void;
  pending_tasks(): number;
  bind_loop(): void;
}

interface Call {
  readonly callId: number;
  readonly fn: string;
  readonly args: unknown;
}

/** A host whose calls wait until the test answers them. */
class Host {
  readonly calls: Call[] = [];
  private seq = 0;
  readonly hostCall = (_namespace: unknown, fn: unknown, argsJson: unknown): number => {
    const callId = ++this.seq;
    this.calls.push({ callId, fn: String(fn), args: JSON.parse(String(argsJson)) });
    return callId;
  };
}

describe('the Python sandbox event loop', () => {
  let py: PyodideInterface;
  let cemcp: Cemcp;
  let timers: TimerLedger;

  beforeAll(async () => {
    timers = trackTimers();
    const indexURL = `${path.dirname(createRequire(import.meta.url).resolve('pyodide/package.json'))}${path.sep}`;
    py = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
    defineBridgeModule(py);
    cemcp = py.pyimport('_cemcp') as Cemcp;
    cemcp.bind_loop();
  }, 120_000);

  afterEach(() => {
    expect(cemcp.pending_tasks()).toBe(0);
  });

  const run = (code: string, host: Host, api: Record<string, string[]> = { gh: ['echo', 'other'] }): Promise<unknown> =>
    Promise.resolve(cemcp.run_task(code, JSON.stringify(api), '{}', host.hostCall)).then((text) => JSON.parse(String(text)));
  const valueOf = (answer: unknown): unknown => {
    const a = answer as { ok: boolean; value?: string; message?: string };
    if (!a.ok) throw new Error(`the program failed: ${a.message}`);
    return a.value === undefined ? undefined : JSON.parse(a.value);
  };
  /** Lets the loop's scheduled drains and the run's task settle. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  /** Turns of the JS event loop until `done` holds (a task gather starts runs a turn later). */
  async function until(done: () => boolean): Promise<void> {
    for (let turn = 0; turn < 20 && !done(); turn++) await settle();
    expect(done()).toBe(true);
  }

  it('resumes the program inside deliver: the next call is made before deliver returns', async () => {
    const host = new Host();
    const answer = run('a = await gh.echo({"n": 1})\nb = await gh.echo({"n": a["n"] + 1})\nreturn b["n"]', host);
    await settle();
    expect(host.calls).toHaveLength(1);
    cemcp.deliver(1, true, '{"n": 1}', false);
    expect(host.calls.map((c) => c.args)).toEqual([{ n: 1 }, { n: 2 }]);
    cemcp.deliver(2, true, '{"n": 7}', false);
    expect(valueOf(await answer)).toBe(7);
  });

  it('leaves no callback scheduled in the JS event loop after a run of many calls', async () => {
    const host = new Host();
    timers.mark();
    const answer = run('total = 0\nfor i in range(50):\n    total += (await gh.echo({"i": i}))["i"]\nreturn total', host);
    await settle();
    for (let i = 0; i < 50; i++) {
      const call = host.calls[i]!;
      cemcp.deliver(call.callId, true, JSON.stringify(call.args), false);
    }
    expect(valueOf(await answer)).toBe(1225);
    await settle();
    expect(timers.pending).toBe(0);
  });

  it('before it is bound (as before the snapshot), schedules through WebLoop', async () => {
    const value = py.runPython(`import _cemcp\nbound = _cemcp._loop._drain_js\n_cemcp._loop._drain_js = None\nran = []\ntry:\n    _cemcp._loop.call_soon(ran.append, 1)\nfinally:\n    _cemcp._loop._drain_js = bound\nran`) as { toJs(): unknown[]; destroy(): void };
    expect(value.toJs()).toEqual([]);
    await until(() => value.toJs().length === 1);
    value.destroy();
  });

  it('keeps gather: answers out of order land on their own calls, and a failure raises ToolError', async () => {
    const host = new Host();
    const code = [
      'import asyncio',
      'values = await asyncio.gather(*[gh.echo({"i": i}) for i in range(5)])',
      'try:',
      '    await asyncio.gather(gh.echo({"i": 9}), gh.other({}))',
      'except ToolError as e:',
      '    return [v["i"] for v in values], e.code',
    ].join('\n');
    const answer = run(code, host);
    await until(() => host.calls.length === 5);
    for (const call of [...host.calls].reverse()) cemcp.deliver(call.callId, true, JSON.stringify(call.args), false);
    await until(() => host.calls.length === 7);
    cemcp.deliver(7, false, '{"code": "NOT_FOUND", "message": "no"}', false);
    cemcp.deliver(6, true, '{}', false);
    expect(valueOf(await answer)).toEqual([[0, 1, 2, 3, 4], 'NOT_FOUND']);
  });

  it('keeps the order of ready callbacks, tasks, sleep(0) and timed sleeps', async () => {
    const code = [
      'import asyncio',
      'order = []',
      'loop = asyncio.get_running_loop()',
      'async def worker(name, pause):',
      '    await asyncio.sleep(pause)',
      '    order.append(name)',
      'loop.call_soon(order.append, "soon-1")',
      'loop.call_soon(order.append, "soon-2")',
      'tasks = [asyncio.create_task(worker("timed", 0.01)), asyncio.create_task(worker("zero", 0))]',
      'await asyncio.sleep(0)',
      'order.append("after-sleep-0")',
      'await asyncio.gather(*tasks)',
      'return order, type(loop).__name__',
    ].join('\n');
    expect(valueOf(await run(code, new Host()))).toEqual([['soon-1', 'soon-2', 'after-sleep-0', 'zero', 'timed'], '_Loop']);
  });

  it('keeps timeouts, cancellation and events across tasks', async () => {
    const host = new Host();
    const code = [
      'import asyncio',
      'try:',
      '    await asyncio.wait_for(gh.echo({"slow": True}), 0.02)',
      '    timed_out = False',
      'except TimeoutError:',
      '    timed_out = True',
      'ready = asyncio.Event()',
      'async def setter():',
      '    await asyncio.sleep(0)',
      '    ready.set()',
      'task = asyncio.create_task(setter())',
      'await ready.wait()',
      'sleeper = asyncio.create_task(asyncio.sleep(10))',
      'await asyncio.sleep(0)',
      'sleeper.cancel()',
      'try:',
      '    await sleeper',
      'except asyncio.CancelledError:',
      '    cancelled = True',
      'await task',
      'return timed_out, ready.is_set(), cancelled',
    ].join('\n');
    expect(valueOf(await run(code, host))).toEqual([true, true, true]);
    // The timed-out call's answer, arriving late, changes nothing.
    cemcp.deliver(1, true, '{}', false);
    await settle();
  });
});
