// Test support for learned shapes: an ajv validator with formats, and the "closed" reading of a shape
// (no field beyond those seen) that type-checking gives it. Imported by tests only.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { Shape } from '../../src/catalog/shapes/shape.js';

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => void;
const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: false });
addFormats(ajv);

export function validatorOf(shape: Shape): ValidateFunction {
  return ajv.compile(structuredClone(shape) as object);
}

/** `shape` with `additionalProperties: false` on every object that lists its fields. */
export function closed(shape: Shape): Shape {
  const out: Record<string, unknown> = { ...shape };
  if (shape.items) out['items'] = closed(shape.items);
  if (shape.additionalProperties) out['additionalProperties'] = closed(shape.additionalProperties);
  if (shape.properties) {
    out['properties'] = Object.fromEntries(Object.entries(shape.properties).map(([k, s]) => [k, closed(s)]));
    out['additionalProperties'] = false;
  }
  return out as Shape;
}
