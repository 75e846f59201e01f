// A catalog as the checker worker receives it: one block per namespace, keyed by the identity of
// its operations' schemas (an upstream whose tools did not change keeps its key, so its rendered
// declarations are reused; a learned shape is a new output schema object, so a new key). Cheap:
// no schema is serialized or hashed, whatever its size. Host side; imported by checker-client.ts.
import { createHash } from 'node:crypto';
import type { Catalog, Operation } from '../../catalog/index.js';
import type { HeldCatalogs, NamespaceBlock } from './check-protocol.js';

const ids = new WeakMap<object, number>();
let nextId = 1;

function idOf(value: object | undefined): number {
  if (!value) return 0;
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = nextId++));
  return id;
}

/** The namespace blocks of `catalog`, with operations only for keys the worker does not hold. */
export function catalogBlocks(catalog: Catalog, held: HeldCatalogs): NamespaceBlock[] {
  const byNamespace = new Map<string, Operation[]>();
  for (const op of catalog.operations) {
    const list = byNamespace.get(op.namespace);
    if (list) list.push(op);
    else byNamespace.set(op.namespace, [op]);
  }
  return [...byNamespace].map(([namespace, operations]) => {
    const hash = createHash('sha256').update(namespace);
    for (const op of operations) hash.update(`\n${op.name}\t${idOf(op.inputSchema)}\t${idOf(op.outputSchema)}`);
    const key = `${namespace}:${hash.digest('base64url')}`;
    return held.holdsKey(key) ? { namespace, key } : { namespace, key, operations };
  });
}
