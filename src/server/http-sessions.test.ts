import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpSessionTable } from './http-sessions.js';

describe('HttpSessionTable', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses a slot past maxSessions, counting initializes in progress, and gives one back on release or delete', () => {
    const table = new HttpSessionTable<string>({ maxSessions: 2, onExpire: () => undefined });
    const a = table.reserve()!;
    const b = table.reserve()!;
    expect(table.reserve()).toBeUndefined(); // two initializes in progress fill it
    b.release();
    b.release(); // twice is once
    a.commit('a', 'A');
    table.reserve()!.commit('c', 'C');
    expect(table.reserve()).toBeUndefined();
    table.delete('a');
    expect(table.reserve()).toBeDefined();
    table.close();
  });

  it('expires a session idle for idleTimeoutMs, never one with a request in flight', async () => {
    const expired: string[] = [];
    const table = new HttpSessionTable<string>({ idleTimeoutMs: 1_000, onExpire: (id, value) => expired.push(`${id}=${value}`) });
    table.reserve()!.commit('idle', 'I');
    table.reserve()!.commit('busy', 'B');
    table.reserve()!.commit('used', 'U');
    const done = table.begin('busy'); // e.g. an execute that runs for a long time
    await vi.advanceTimersByTimeAsync(600);
    table.begin('used')(); // a short request: activity
    await vi.advanceTimersByTimeAsync(600);
    expect(expired).toEqual(['idle=I']);
    expect(table.get('idle')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(expired).toEqual(['idle=I', 'used=U']);
    expect(table.get('busy')).toBe('B');
    done();
    await vi.advanceTimersByTimeAsync(999);
    expect(table.get('busy')).toBe('B'); // idle time counts from the end of its last request
    await vi.advanceTimersByTimeAsync(300);
    expect(expired).toEqual(['idle=I', 'used=U', 'busy=B']);
    expect(table.size).toBe(0);
    table.close();
  });

  it('does not expire a session whose work goes on without a request open, and counts its idle time from then', async () => {
    let running = true;
    const expired: string[] = [];
    const table = new HttpSessionTable<string>({ idleTimeoutMs: 1_000, isBusy: () => running, onExpire: (id) => expired.push(id) });
    table.reserve()!.commit('a', 'A');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(expired).toEqual([]);
    running = false;
    await vi.advanceTimersByTimeAsync(500);
    expect(expired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(expired).toEqual(['a']);
    table.close();
  });

  it('never expires without idleTimeoutMs', async () => {
    const table = new HttpSessionTable<string>({ onExpire: () => undefined });
    table.reserve()!.commit('a', 'A');
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(table.sweep()).toEqual([]);
    expect(table.get('a')).toBe('A');
    table.close();
  });
});
