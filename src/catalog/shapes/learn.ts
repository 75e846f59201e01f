// Learns the shape of one value, as a program receives it (structuredContent, parsed JSON text, or
// a string), optionally into the shape learned so far. Only kinds, field names and string formats
// are kept; an object keyed by data (ids, emails, paths) becomes a record, so keys that are values
// never become field names. Bounded by ShapeBounds. Pure; imported by catalog/shapes/ only.
import { anyAcc, createAcc, fromShape, mergeFormat, setAny, toRecord, type Acc } from './accumulator.js';
import { emitShape } from './emit.js';
import { detectFormat } from './formats.js';
import { DEFAULT_SHAPE_BOUNDS, isFieldName, type Shape, type ShapeBounds } from './shape.js';

/** The shape of `value`; with `into`, the merge of that shape and `value`'s. */
export function learnShape(value: unknown, into?: Shape, bounds: ShapeBounds = DEFAULT_SHAPE_BOUNDS): Shape {
  const acc = into ? fromShape(into) : createAcc();
  absorbValue(acc, value, 0, { bounds, visits: bounds.maxVisits });
  return emitShape(acc, bounds);
}

interface Pass {
  readonly bounds: ShapeBounds;
  visits: number;
}

function absorbValue(acc: Acc, value: unknown, depth: number, pass: Pass): void {
  if (acc.any) return;
  if (--pass.visits < 0) return setAny(acc); // the rest of a huge value: anything
  switch (typeof value) {
    case 'string':
      acc.kinds.add('string');
      // Once strings here disagree on a format, none can come back: skip the tests.
      if (acc.format !== null) acc.format = mergeFormat(acc.format, detectFormat(value) ?? null);
      return;
    case 'number':
      acc.kinds.add(Number.isInteger(value) ? 'integer' : 'number');
      return;
    case 'boolean':
      acc.kinds.add('boolean');
      return;
    case 'object':
      if (value === null) acc.kinds.add('null');
      else if (Array.isArray(value)) absorbArray(acc, value, depth, pass);
      else absorbObject(acc, value as Record<string, unknown>, depth, pass);
      return;
    default:
      return setAny(acc); // not JSON (undefined, a function): say nothing about it
  }
}

function absorbArray(acc: Acc, items: readonly unknown[], depth: number, pass: Pass): void {
  acc.kinds.add('array');
  if (items.length === 0) return;
  if (depth >= pass.bounds.maxDepth) {
    acc.items = anyAcc();
    return;
  }
  const merged = (acc.items ??= createAcc());
  for (const item of items) {
    if (merged.any) break;
    absorbValue(merged, item, depth + 1, pass);
  }
}

function absorbObject(acc: Acc, value: Record<string, unknown>, depth: number, pass: Pass): void {
  acc.kinds.add('object');
  const keys = Object.keys(value);
  const first = acc.object === undefined;
  const object = (acc.object ??= { props: new Map(), required: new Set(keys), record: undefined });
  if (depth >= pass.bounds.maxDepth) {
    object.record = anyAcc();
    object.props.clear();
    object.required.clear();
    return;
  }
  if (!object.record) {
    // Keys already known were checked when first seen.
    let fresh = 0;
    let data = false;
    for (const key of keys) {
      if (object.props.has(key)) continue;
      fresh++;
      if (!isFieldName(key)) data = true;
    }
    if (data || object.props.size + fresh > pass.bounds.maxProperties) toRecord(object, pass.bounds);
  }
  if (object.record) {
    for (const key of keys) absorbValue(object.record, value[key], depth + 1, pass);
    return;
  }
  if (!first) for (const key of object.required) if (!Object.hasOwn(value, key)) object.required.delete(key);
  for (const key of keys) {
    let sub = object.props.get(key);
    if (!sub) object.props.set(key, (sub = createAcc()));
    absorbValue(sub, value[key], depth + 1, pass);
  }
}
