// Writes an accumulator out as a Shape, within the bounds: parts deeper than the depth limit become
// `{}`, and while the shape has more nodes than allowed the limit is lowered, so a cut only ever
// widens a shape (it still accepts every sample). Imported by catalog/shapes/ only.
import type { Acc } from './accumulator.js';
import { KIND_ORDER, type Kind, type Shape, type ShapeBounds } from './shape.js';

export function emitShape(acc: Acc, bounds: ShapeBounds): Shape {
  for (let limit = bounds.maxDepth; ; limit--) {
    const shape = emit(acc, limit, 0);
    if (limit <= 0 || countNodes(shape) <= bounds.maxNodes) return shape;
  }
}

/** Schema nodes in a shape: itself, its items, its fields, its record value. */
export function countNodes(shape: Shape): number {
  let n = 1;
  if (shape.items) n += countNodes(shape.items);
  if (shape.additionalProperties) n += countNodes(shape.additionalProperties);
  for (const sub of Object.values(shape.properties ?? {})) n += countNodes(sub);
  return n;
}

function emit(acc: Acc, limit: number, depth: number): Shape {
  if (acc.any || depth > limit) return {};
  let kinds: Kind[] = KIND_ORDER.filter((k) => acc.kinds.has(k));
  if (kinds.includes('number')) kinds = kinds.filter((k) => k !== 'integer');
  if (kinds.length === 0) return {};
  const out: { -readonly [K in keyof Shape]: Shape[K] } = { type: kinds.length === 1 ? kinds[0] : kinds };
  if (acc.kinds.has('string') && acc.format) out.format = acc.format;
  if (acc.kinds.has('array') && acc.items) out.items = emit(acc.items, limit, depth + 1);
  const object = acc.kinds.has('object') ? acc.object : undefined;
  if (object?.record) {
    out.additionalProperties = emit(object.record, limit, depth + 1);
  } else if (object && object.props.size > 0) {
    // fromEntries defines own properties: a field named `__proto__` stays a field.
    out.properties = Object.fromEntries([...object.props].map(([key, sub]) => [key, emit(sub, limit, depth + 1)]));
    const required = [...object.props.keys()].filter((key) => object.required.has(key));
    if (required.length > 0) out.required = required;
  }
  return out;
}
