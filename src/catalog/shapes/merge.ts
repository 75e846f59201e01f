// Merges shapes learned from different calls: a field missing from some becomes optional, kinds
// that differ become a union (`type: [...]`), array items merge, a string format survives only if
// both sides have it. Pure; imported by catalog/shapes/ only.
import { fromShape, mergeAcc } from './accumulator.js';
import { emitShape } from './emit.js';
import { DEFAULT_SHAPE_BOUNDS, type Shape, type ShapeBounds } from './shape.js';

export function mergeShapes(a: Shape, b: Shape, bounds: ShapeBounds = DEFAULT_SHAPE_BOUNDS): Shape {
  const acc = fromShape(a);
  mergeAcc(acc, fromShape(b), bounds);
  return emitShape(acc, bounds);
}
