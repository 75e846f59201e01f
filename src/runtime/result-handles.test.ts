import { describe, expect, it } from 'vitest';
import { createMemorySessionStore, storeRecords } from '../session/index.js';
import { handleRefusal, newHandleId, readHandle, storeHandle } from './result-handles.js';

const limits = { maxBytesPerSession: 1_000, maxBytesPerHandle: 600 };
const session = (id = 's1') => storeRecords(createMemorySessionStore(), id);

describe('result handles', () => {
  it('reads back the very JSON text that was stored', async () => {
    const records = session();
    const json = JSON.stringify({ text: 'naïve ☕ \u2028 "quoted"', n: [1.5, -0, 1e21] });
    const id = newHandleId();
    await storeHandle(records, id, json, { maxBytesPerSession: 10_000, maxBytesPerHandle: 10_000 });
    expect(await readHandle(records, id, limits)).toBe(json);
  });

  it('makes random ids that are not guessable from each other', () => {
    const ids = new Set(Array.from({ length: 1_000 }, newHandleId));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(/^h_[A-Za-z0-9_-]{20}$/);
  });

  it('drops the oldest past the session bound, and a read of a dropped id names it, the limit and the key', async () => {
    const records = session();
    const ids = [newHandleId(), newHandleId(), newHandleId()];
    const value = JSON.stringify('x'.repeat(398)); // 400 bytes
    expect((await storeHandle(records, ids[0]!, value, limits)).dropped).toEqual([]);
    expect((await storeHandle(records, ids[1]!, value, limits)).dropped).toEqual([]);
    expect((await storeHandle(records, ids[2]!, value, limits)).dropped).toEqual([ids[0]]);
    await expect(readHandle(records, ids[0]!, limits)).rejects.toMatchObject({
      code: 'HANDLE_DROPPED',
      message: expect.stringMatching(new RegExp(`^handles.get\\("${ids[0]}"\\): the handle was dropped: a session keeps at most 1,000 bytes of handles \\(cemcp.handles.maxBytesPerSession\\) and drops the oldest first`)),
    });
    expect(await readHandle(records, ids[2]!, limits)).toBe(value);
    // Its value is gone from the store, not only from the index.
    expect(await records.keys('handles/value/')).toHaveLength(2);
  });

  it('says an id never existed in another session, or when it is not an id at all', async () => {
    const store = createMemorySessionStore();
    const id = newHandleId();
    await storeHandle(storeRecords(store, 'a'), id, '[1]', limits);
    await expect(readHandle(storeRecords(store, 'b'), id, limits)).rejects.toMatchObject({ code: 'HANDLE_UNKNOWN', message: expect.stringContaining(`handles.get("${id}"): no such handle: it never existed in this session`) });
    for (const other of ['h_nope', 'index', '../index', `${id}/../../index`, 'pii']) {
      await expect(readHandle(storeRecords(store, 'a'), other, limits)).rejects.toMatchObject({ code: 'HANDLE_UNKNOWN' });
    }
  });

  it('keeps every handle of concurrent runs in the index', async () => {
    const records = session();
    const ids = Array.from({ length: 12 }, newHandleId);
    await Promise.all(ids.map((id) => storeHandle(records, id, '"0123456789"', limits)));
    const index = await records.read('handles/index') as { live: { id: string }[] };
    expect(index.live.map((h) => h.id).sort()).toEqual([...ids].sort());
  });

  it('refuses a value over the per-handle bound, and every value when handles are off', () => {
    expect(handleRefusal(601, limits)).toBe('the value is 601 bytes of JSON, over the handle limit of 600 bytes (cemcp.handles.maxBytesPerHandle)');
    expect(handleRefusal(600, limits)).toBeUndefined();
    expect(handleRefusal(10, { maxBytesPerSession: 0, maxBytesPerHandle: 600 })).toBe('handles are off (cemcp.handles.maxBytesPerSession is 0)');
    expect(handleRefusal(700, { maxBytesPerSession: 650, maxBytesPerHandle: 6_000 })).toContain('(cemcp.handles.maxBytesPerSession)');
  });
});
