import { describe, expect, it } from 'vitest';
import type { Records } from '../common/index.js';
import { createMemorySessionStore, storeRecords } from '../session/index.js';
import { readHandle } from './result-handles.js';
import { surfaceKept } from './surface-kept.js';

const limits = { maxBytesPerSession: 1 << 20, maxBytesPerHandle: 1 << 20 };
const big = { logs: [], logsTruncated: false, valueJson: JSON.stringify(Array.from({ length: 3_000 }, (_, i) => ({ i }))) };
const identity = <T>(x: T): T => x;

describe('surfaceKept', () => {
  it('stores the value it cut under the id its answer names', async () => {
    const records = storeRecords(createMemorySessionStore(), 's1');
    const out = await surfaceKept(big, 300, identity, { records, limits });
    expect(out.handle).toMatch(/^h_/);
    expect(out.text).toContain(`handle "${out.handle}"`);
    expect(await readHandle(records, out.handle!, limits)).toBe(big.valueJson);
  });

  it('stores nothing for a value that fits', async () => {
    const records = storeRecords(createMemorySessionStore(), 's1');
    const out = await surfaceKept({ ...big, valueJson: '[1,2]' }, 300, identity, { records, limits });
    expect(out).toMatchObject({ text: '[1,2]', cut: false, valueCut: false });
    expect(out.handle).toBeUndefined();
    expect(await records.keys()).toEqual([]);
  });

  it('says why no handle was kept: a failing store, a value over the bound, handles off', async () => {
    const base = storeRecords(createMemorySessionStore(), 's1');
    const failing: Records = { ...base, write: () => Promise.reject(new Error('store unreachable')) };
    const failed = await surfaceKept(big, 300, identity, { records: failing, limits });
    expect(failed.handle).toBeUndefined();
    expect(failed.text).toContain('No handle was kept: storing it failed (store unreachable).');
    expect(failed.text).not.toContain('handles.get');
    const over = await surfaceKept(big, 300, identity, { records: base, limits: { maxBytesPerSession: 1 << 20, maxBytesPerHandle: 100 } });
    expect(over.text).toMatch(/No handle was kept: the value is [\d,]+ bytes of JSON, over the handle limit of 100 bytes \(cemcp\.handles\.maxBytesPerHandle\)\./);
    const off = await surfaceKept(big, 300, identity, { records: base });
    expect(off.text).toContain('No handle was kept: handles are off in this gateway.');
  });
});
