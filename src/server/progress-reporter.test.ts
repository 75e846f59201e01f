import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigSchema } from '../config/index.js';
import type { ToolCallRecord } from '../runtime/index.js';
import { DEFAULT_PROGRESS_OPTIONS, ProgressReporter, type ConsoleLevel, type ProgressSink } from './progress-reporter.js';

interface Sent {
  readonly progress: { progress: number; message: string; at: number }[];
  readonly logs: { level: ConsoleLevel; text: string }[];
}

function recordingSink(withProgress = true): { sink: ProgressSink; sent: Sent } {
  const sent: Sent = { progress: [], logs: [] };
  const sink: ProgressSink = {
    ...(withProgress ? { progress: (progress: number, message: string) => void sent.progress.push({ progress, message, at: Date.now() }) } : {}),
    log: (level, text) => void sent.logs.push({ level, text }),
  };
  return { sink, sent };
}

const record = (call: string, fate: ToolCallRecord['fate'], durationMs: number, errorCode?: string): ToolCallRecord => ({
  call, server: call.split('.')[0]!, tool: call.split('.')[1]!, ok: fate === 'ok', fate, durationMs, argumentBytes: 2, resultBytes: 2,
  ...(errorCode ? { errorCode } : {}),
});

describe('ProgressReporter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('names each call as it starts and ends, with a progress value that only grows', () => {
    const { sink, sent } = recordingSink();
    const reporter = new ProgressReporter(sink);
    reporter.callStarted('crm.find_contact');
    reporter.callFinished(record('crm.find_contact', 'ok', 120.4));
    reporter.callStarted('crm.update');
    reporter.callFinished(record('crm.update', 'error', 33, 'TOOL_ERROR'));
    reporter.callStarted('crm.delete');
    reporter.callFinished(record('crm.delete', 'refused', 0, 'POLICY_DENIED'));
    reporter.close();
    expect(sent.progress.map((p) => p.message)).toEqual([
      'crm.find_contact started', 'crm.find_contact done in 120 ms',
      'crm.update started', 'crm.update failed after 33 ms (TOOL_ERROR)',
      'crm.delete started', 'crm.delete refused (POLICY_DENIED)',
    ]);
    expect(sent.progress.map((p) => p.progress)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sends a heartbeat while nothing else is sent, and stops every timer at close', () => {
    const { sink, sent } = recordingSink();
    const reporter = new ProgressReporter(sink, { heartbeatMs: 3_000 });
    vi.advanceTimersByTime(2_999);
    expect(sent.progress).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent.progress).toEqual([{ progress: 1, message: 'running for 3 s; 0 calls started, 0 ended', at: 1_003_000 }]);
    vi.advanceTimersByTime(1_000);
    reporter.callStarted('slow.wait'); // re-arms: the next heartbeat is 3 s after this
    vi.advanceTimersByTime(2_999);
    expect(sent.progress).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sent.progress[2]).toMatchObject({ progress: 3, message: 'running for 7 s; 1 call started, 0 ended' });
    reporter.close();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(sent.progress).toHaveLength(3);
    reporter.callStarted('late.call');
    reporter.log({ level: 'log', text: 'late' });
    expect(sent.progress).toHaveLength(3);
    expect(sent.logs).toEqual([]);
  });

  it('without a progress token sends no progress and keeps no timer, but still streams console lines', () => {
    const { sink, sent } = recordingSink(false);
    const reporter = new ProgressReporter(sink);
    reporter.callStarted('a.b');
    reporter.log({ level: 'warn', text: 'careful' });
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    reporter.close();
    expect(sent.progress).toEqual([]);
    expect(sent.logs).toEqual([{ level: 'warning', text: 'careful' }]);
  });

  it('merges call events over the progress rate into one notification within 1 s', () => {
    const { sink, sent } = recordingSink();
    const reporter = new ProgressReporter(sink, { progressPerSecond: 10 });
    for (let i = 0; i < 25; i++) reporter.callStarted(`api.get_${i}`);
    expect(sent.progress).toHaveLength(10);
    expect(vi.getTimerCount()).toBe(2); // the heartbeat and one merge timer
    vi.advanceTimersByTime(100);
    expect(sent.progress).toHaveLength(11);
    expect(sent.progress[10]).toMatchObject({ progress: 11, message: 'api.get_24 started (and 14 more call events)', at: 1_000_100 });
    // Later events go at once again when the rate allows, and pending ones go out at close.
    vi.advanceTimersByTime(1_000);
    reporter.callFinished(record('api.get_0', 'ok', 5));
    expect(sent.progress.at(-1)).toMatchObject({ message: 'api.get_0 done in 5 ms' });
    for (let i = 1; i < 12; i++) reporter.callFinished(record(`api.get_${i}`, 'ok', 5));
    const before = sent.progress.length;
    reporter.close();
    expect(sent.progress.length).toBe(before + 1);
    expect(sent.progress.at(-1)?.message).toMatch(/^api\.get_11 done in 5 ms \(and \d+ more call events\)$/);
    const values = sent.progress.map((p) => p.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('has the defaults of cemcp.progress', () => {
    expect(ConfigSchema.parse({}).cemcp.progress).toEqual(DEFAULT_PROGRESS_OPTIONS);
  });

  it('streams no console line when console is off, and says nothing about it', () => {
    const { sink, sent } = recordingSink();
    const reporter = new ProgressReporter(sink, { console: false });
    reporter.log({ level: 'error', text: 'x' });
    reporter.callStarted('a.b');
    reporter.close();
    expect(sent.logs).toEqual([]);
    expect(sent.progress.map((p) => p.message)).toEqual(['a.b started']);
  });

  it('maps console levels to MCP logging levels', () => {
    const { sink, sent } = recordingSink(false);
    const reporter = new ProgressReporter(sink);
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) reporter.log({ level, text: level });
    expect(sent.logs.map((l) => l.level)).toEqual(['info', 'info', 'warning', 'error', 'debug']);
  });

  it('bounds console lines per run by count and bytes, and says at close how many were held back', () => {
    const { sink, sent } = recordingSink(false);
    const reporter = new ProgressReporter(sink, { maxConsoleLines: 3, consoleLinesPerSecond: 100 });
    for (let i = 0; i < 5; i++) reporter.log({ level: 'log', text: `line ${i}` });
    expect(sent.logs.map((l) => l.text)).toEqual(['line 0', 'line 1', 'line 2']);
    reporter.close();
    expect(sent.logs).toHaveLength(4);
    expect(sent.logs[3]).toEqual({ level: 'info', text: expect.stringMatching(/^2 console lines were not streamed .*3 lines.*the execute result carries the console output$/) as string });

    const bytes = recordingSink(false);
    const byBytes = new ProgressReporter(bytes.sink, { maxConsoleBytes: 10, consoleLinesPerSecond: 100 });
    byBytes.log({ level: 'log', text: '€€€' }); // 9 bytes
    byBytes.log({ level: 'log', text: 'ab' }); // would make 11
    byBytes.log({ level: 'log', text: 'a' });
    byBytes.close();
    expect(bytes.sent.logs.map((l) => l.text)).toEqual(['€€€', 'a', expect.stringMatching(/^1 console line was not streamed/) as string]);
  });

  it('rate-limits console lines: a burst of the rate, then the rate per second', () => {
    const { sink, sent } = recordingSink(false);
    const reporter = new ProgressReporter(sink, { consoleLinesPerSecond: 20, maxConsoleLines: 1_000 });
    for (let i = 0; i < 50; i++) reporter.log({ level: 'log', text: `a${i}` });
    expect(sent.logs).toHaveLength(20);
    vi.advanceTimersByTime(500);
    for (let i = 0; i < 50; i++) reporter.log({ level: 'log', text: `b${i}` });
    expect(sent.logs).toHaveLength(30);
    expect(sent.logs.at(-1)?.text).toBe('b9');
    reporter.close();
    expect(sent.logs.at(-1)?.text).toMatch(/^70 console lines were not streamed/);
  });

  it('survives a sink that throws or rejects', async () => {
    let calls = 0;
    const reporter = new ProgressReporter({
      progress: () => {
        calls += 1;
        throw new Error('gone');
      },
      log: () => {
        calls += 1;
        return Promise.reject(new Error('gone'));
      },
    });
    reporter.callStarted('a.b');
    reporter.log({ level: 'log', text: 'x' });
    reporter.callFinished(record('a.b', 'ok', 1));
    reporter.close();
    await Promise.resolve();
    expect(calls).toBe(3);
  });
});
