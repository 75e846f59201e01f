// The working form of a shape while it is learned or merged: mutable, with the kinds seen, the
// common string format, merged array items and object fields. `mergeAcc` folds one into another;
// `fromShape` reads a stored Shape back. Imported by catalog/shapes/ only; holds no values.
import type { Kind, Shape, ShapeBounds, StringFormat } from './shape.js';

export interface Acc {
  /** Anything at all (a cut): absorbs whatever is merged in. */
  any: boolean;
  readonly kinds: Set<Kind>;
  /** undefined: no string seen yet; null: strings seen without one common format. */
  format: StringFormat | null | undefined;
  /** Merged array items; undefined while only empty arrays were seen. */
  items: Acc | undefined;
  object: ObjectAcc | undefined;
}

export interface ObjectAcc {
  /** Fields by name (empty in record mode). */
  readonly props: Map<string, Acc>;
  /** Fields every object seen had. */
  readonly required: Set<string>;
  /** Record mode: one shape for every field's value. */
  record: Acc | undefined;
}

export function createAcc(): Acc {
  return { any: false, kinds: new Set(), format: undefined, items: undefined, object: undefined };
}

export function anyAcc(): Acc {
  const acc = createAcc();
  acc.any = true;
  return acc;
}

export function setAny(acc: Acc): void {
  acc.any = true;
  acc.kinds.clear();
  acc.format = undefined;
  acc.items = undefined;
  acc.object = undefined;
}

export function mergeFormat(current: StringFormat | null | undefined, next: StringFormat | null | undefined): StringFormat | null | undefined {
  if (next === undefined) return current;
  if (current === undefined) return next;
  return current === next ? current : null;
}

/** Folds `source` into `target`; `source` is consumed (its parts may now belong to `target`). */
export function mergeAcc(target: Acc, source: Acc, bounds: ShapeBounds): void {
  if (target.any) return;
  if (source.any) return setAny(target);
  for (const kind of source.kinds) target.kinds.add(kind);
  target.format = mergeFormat(target.format, source.format);
  if (source.items) {
    if (target.items) mergeAcc(target.items, source.items, bounds);
    else target.items = source.items;
  }
  if (source.object) {
    if (target.object) mergeObject(target.object, source.object, bounds);
    else target.object = source.object;
  }
}

function mergeObject(target: ObjectAcc, source: ObjectAcc, bounds: ShapeBounds): void {
  if (target.record || source.record) {
    toRecord(target, bounds);
    toRecord(source, bounds);
    mergeAcc(target.record ??= createAcc(), source.record ?? createAcc(), bounds);
    return;
  }
  for (const key of target.required) if (!source.required.has(key)) target.required.delete(key);
  for (const [key, acc] of source.props) {
    const mine = target.props.get(key);
    if (mine) mergeAcc(mine, acc, bounds);
    else target.props.set(key, acc);
  }
  if (target.props.size > bounds.maxProperties) toRecord(target, bounds);
}

/** Turns an object's fields into one shape for every value: keys are data, or too many to name. */
export function toRecord(object: ObjectAcc, bounds: ShapeBounds): void {
  const record = object.record ?? createAcc();
  for (const acc of object.props.values()) mergeAcc(record, acc, bounds);
  object.props.clear();
  object.required.clear();
  object.record = record;
}

/** The accumulator of a stored shape (already bounded: it was learned under bounds). */
export function fromShape(shape: Shape): Acc {
  const acc = createAcc();
  if (shape.type === undefined) {
    acc.any = true;
    return acc;
  }
  const kinds: readonly Kind[] = typeof shape.type === 'string' ? [shape.type] : shape.type;
  for (const kind of kinds) acc.kinds.add(kind);
  if (acc.kinds.has('string')) acc.format = shape.format ?? null;
  if (acc.kinds.has('array') && shape.items) acc.items = fromShape(shape.items);
  if (acc.kinds.has('object')) {
    const props = new Map(Object.entries(shape.properties ?? {}).map(([key, sub]) => [key, fromShape(sub)] as const));
    acc.object = {
      props,
      required: new Set((shape.required ?? []).filter((key) => props.has(key))),
      record: shape.additionalProperties ? fromShape(shape.additionalProperties) : undefined,
    };
    if (acc.object.record) acc.object.props.clear();
  }
  return acc;
}
