import { describe, expect, it } from 'vitest';
import { createMemorySessionStore, storeRecords } from '../session/index.js';
import { SessionState } from './session-state.js';

const limits = { maxValueBytes: 100, maxBytesPerSession: 250, maxKeys: 3 };
const open = (id = 's1', store = createMemorySessionStore()) => new SessionState(storeRecords(store, id), limits);

describe('SessionState', () => {
  it('sets, gets, lists and deletes JSON values; a missing key reads null', async () => {
    const state = open();
    await state.set('cursor', { page: 2, seen: ['a'] });
    await state.set('__proto__', 1);
    expect(await state.get('cursor')).toEqual({ page: 2, seen: ['a'] });
    expect(await state.get('__proto__')).toBe(1);
    expect(await state.keys()).toEqual(['cursor', '__proto__']);
    expect(await state.delete('cursor')).toBe(true);
    expect(await state.delete('cursor')).toBe(false);
    expect(await state.get('cursor')).toBeNull();
    expect(await state.keys()).toEqual(['__proto__']);
  });

  it('reaches only its own records: no key names the PII map, a handle or the index', async () => {
    const store = createMemorySessionStore();
    const records = storeRecords(store, 's1');
    await records.write('handles/value/h_AAAAAAAAAAAAAAAAAAAA', '"kept"');
    await records.write('pii', { secret: 1 });
    const state = new SessionState(records, limits);
    for (const key of ['pii', '../pii', 'handles/value/h_AAAAAAAAAAAAAAAAAAAA', '../handles/value/h_AAAAAAAAAAAAAAAAAAAA', 'index', '../index']) {
      expect(await state.get(key)).toBeNull();
    }
    expect(await state.keys()).toEqual([]);
  });

  it('is per session', async () => {
    const store = createMemorySessionStore();
    await open('a', store).set('k', 'mine');
    expect(await open('b', store).get('k')).toBeNull();
    expect(await open('b', store).keys()).toEqual([]);
  });

  it('bounds each value, the total and the key count, naming the key, the limit and its config key', async () => {
    const state = open();
    await expect(state.set('big', 'x'.repeat(200))).rejects.toMatchObject({
      code: 'LIMIT_STATE', message: 'state.set("big"): the value is 202 bytes of JSON, over the limit of 100 bytes per value (cemcp.state.maxValueBytes); store less under one key',
    });
    await state.set('a', 'x'.repeat(90));
    await state.set('b', 'x'.repeat(90));
    await expect(state.set('c', 'x'.repeat(90))).rejects.toMatchObject({ code: 'LIMIT_STATE', message: expect.stringMatching(/^state\.set\("c"\): this session's state would hold 276 bytes, over the limit of 250 bytes \(cemcp\.state\.maxBytesPerSession\)/) });
    // Replacing a value counts its new size, not both.
    await state.set('b', 'x'.repeat(95));
    await state.set('c', 1);
    await expect(state.set('d', 1)).rejects.toMatchObject({ code: 'LIMIT_STATE', message: expect.stringContaining('state.set("d"): this session already holds 3 keys, the limit (cemcp.state.maxKeys)') });
    expect(await state.keys()).toEqual(['a', 'b', 'c']);
  });

  it('keeps the bounds under concurrent writers', async () => {
    const state = open();
    const results = await Promise.allSettled(['p', 'q', 'r', 's', 't'].map((key) => state.set(key, 'x'.repeat(60))));
    // 62 bytes each: three fit the key count (and 186 <= 250 bytes), the other two are refused.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(await state.keys()).toHaveLength(3);
  });

  it('refuses keys that are not short non-empty strings, and values that are not JSON', async () => {
    const state = open();
    await expect(state.get('')).rejects.toMatchObject({ code: 'ARGUMENT_INVALID', message: expect.stringContaining('state.get: the key must be a non-empty string of at most 256 characters') });
    await expect(state.set(7, 1)).rejects.toMatchObject({ code: 'ARGUMENT_INVALID' });
    await expect(state.delete('k'.repeat(257))).rejects.toMatchObject({ code: 'ARGUMENT_INVALID' });
    await expect(state.set('k', undefined)).rejects.toMatchObject({ code: 'ARGUMENT_INVALID', message: expect.stringContaining('the value is not JSON') });
  });
});
