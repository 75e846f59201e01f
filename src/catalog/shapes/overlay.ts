// Lays learned result shapes over a catalog: each operation without a declared outputSchema that
// has a shape learned under its current definition gets it as `outputSchema`, marked `inferred`.
// Declared schemas are never replaced. The catalog is immutable: this answers a new one. Pure.
import { Catalog } from '../catalog.js';
import type { JsonSchema, Operation } from '../operation.js';
import type { LearnedShape } from './book.js';

export interface ShapeLookup {
  lookup(op: Operation): Pick<LearnedShape, 'shape' | 'calls'> | undefined;
}

export function withLearnedShapes(catalog: Catalog, shapes: ShapeLookup): Catalog {
  let changed = false;
  const operations = catalog.operations.map((current) => {
    // A catalog already overlaid is overlaid afresh: its inferred types are not declarations.
    const op = current.inferred ? withoutInferred(current) : current;
    if (op.outputSchema !== undefined) return op;
    const learned = shapes.lookup(op);
    if (!learned) {
      if (op !== current) changed = true;
      return op;
    }
    changed = true;
    return { ...op, outputSchema: learned.shape as JsonSchema, inferred: { calls: learned.calls } };
  });
  return changed ? new Catalog(operations) : catalog;
}

/** The operations as their upstreams declare them: inferred result types taken off (tool definitions stay stable). */
export function declaredOnly(operations: readonly Operation[]): readonly Operation[] {
  if (!operations.some((op) => op.inferred)) return operations;
  return operations.map((op) => (op.inferred ? withoutInferred(op) : op));
}

function withoutInferred(op: Operation): Operation {
  const { outputSchema: _learned, inferred: _calls, ...declared } = op;
  return declared;
}
