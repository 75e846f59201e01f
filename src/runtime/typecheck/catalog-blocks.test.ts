// What the gateway sends the checker worker for a catalog: one block per namespace, keyed by its
// schemas' identity, with operations only where the worker does not hold that key already.
import { describe, expect, it } from 'vitest';
import { Catalog, type ToolLike } from '../../catalog/index.js';
import { catalogBlocks } from './catalog-blocks.js';
import { CATALOGS_KEPT, HeldCatalogs } from './check-protocol.js';

const tool = (name: string): ToolLike => ({ name, inputSchema: { type: 'object', properties: { q: { type: 'string' } } } });

describe('catalogBlocks', () => {
  const a = [tool('find'), tool('list')];
  const b = [tool('get')];

  it('keeps a namespace key while its schemas are the same objects, and sends its operations once', () => {
    const held = new HeldCatalogs();
    const first = catalogBlocks(Catalog.fromSources([{ server: 'crm', tools: a }, { server: 'docs', tools: b }]), held);
    expect(first.map((x) => [x.namespace, x.operations?.length])).toEqual([['crm', 2], ['docs', 1]]);
    held.add(1, first.map((x) => x.key));
    // A rebuilt catalog (new Operation objects, same tool schemas) and a changed upstream.
    const second = catalogBlocks(Catalog.fromSources([{ server: 'crm', tools: a }, { server: 'docs', tools: [tool('get')] }]), held);
    expect(second[0]).toEqual({ namespace: 'crm', key: first[0]!.key });
    expect(second[1]!.key).not.toBe(first[1]!.key);
    expect(second[1]!.operations?.map((op) => op.name)).toEqual(['get']);
  });
});

describe('HeldCatalogs', () => {
  it(`keeps the last ${CATALOGS_KEPT} versions and names the keys none of them uses any more`, () => {
    const held = new HeldCatalogs();
    expect(held.add(1, ['x', 'y'])).toEqual([]);
    expect(held.add(2, ['x', 'z'])).toEqual([]);
    expect(held.add(3, ['x', 'w'])).toEqual(['y']);
    expect([held.has(1), held.has(2), held.has(3)]).toEqual([false, true, true]);
    expect(held.holdsKey('z')).toBe(true);
    expect(held.keysOf(3)).toEqual(['x', 'w']);
  });
});
