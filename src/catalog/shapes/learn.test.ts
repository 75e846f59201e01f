import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closed, validatorOf } from '../../../test/support/shapes.js';
import { learnShape } from './learn.js';
import { mergeShapes } from './merge.js';
import { countNodes } from './emit.js';
import { DEFAULT_SHAPE_BOUNDS, KIND_ORDER, STRING_FORMATS, type Shape } from './shape.js';

const formatted = fc.oneof(
  fc.string(),
  fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.uuid(),
  fc.emailAddress(),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' },
    formatted, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('id', 'name', 'createdAt', 'tags', 'url'), fc.string()), tie('value'), { maxKeys: 5 })),
})).value;

const learnAll = (samples: readonly unknown[]): Shape => samples.reduce<Shape | undefined>((shape, s) => learnShape(s, shape), undefined) ?? {};
const mergeAll = (samples: readonly unknown[]): Shape => samples.map((s) => learnShape(s)).reduce((a, b) => mergeShapes(a, b));

/** Every keyword and value in a shape is structure: no sample value can hide in it. */
function structureOnly(shape: Shape): boolean {
  const keys = Object.keys(shape);
  if (!keys.every((k) => ['type', 'format', 'items', 'properties', 'required', 'additionalProperties'].includes(k))) return false;
  const kinds = shape.type === undefined ? [] : typeof shape.type === 'string' ? [shape.type] : shape.type;
  if (!kinds.every((k) => KIND_ORDER.includes(k))) return false;
  if (shape.format !== undefined && !STRING_FORMATS.includes(shape.format)) return false;
  const subs = [shape.items, shape.additionalProperties, ...Object.values(shape.properties ?? {})];
  return subs.every((s) => s === undefined || structureOnly(s));
}

describe('learnShape (properties)', () => {
  it('accepts every sample it was learned from, learned in turn or merged', () => {
    fc.assert(fc.property(fc.array(json, { minLength: 1, maxLength: 5 }), (samples) => {
      for (const shape of [learnAll(samples), mergeAll(samples)]) {
        const validate = validatorOf(shape);
        for (const sample of samples) expect(validate(sample), JSON.stringify({ shape, sample, errors: validate.errors })).toBe(true);
        expect(structureOnly(shape)).toBe(true);
      }
    }), { numRuns: 300 });
  });

  it('accepts every sample under closed objects too (no field beyond those seen)', () => {
    fc.assert(fc.property(fc.array(json, { minLength: 1, maxLength: 4 }), (samples) => {
      const validate = validatorOf(closed(learnAll(samples)));
      for (const sample of samples) expect(validate(sample)).toBe(true);
    }), { numRuns: 200 });
  });

  it('is independent of values: same structure and kinds, other values, same shape', () => {
    // A skeleton of fields and leaf kinds, filled twice with unrelated values of each kind.
    const leafKinds = ['int', 'float', 'bool', 'null', 'text', 'date', 'uuid'] as const;
    type Skeleton = { leaf: (typeof leafKinds)[number] } | { list: Skeleton[] } | { fields: [string, Skeleton][] };
    const skeleton: fc.Arbitrary<Skeleton> = fc.letrec<{ s: Skeleton }>((tie) => ({
      s: fc.oneof({ depthSize: 'small' },
        fc.constantFrom(...leafKinds).map((leaf) => ({ leaf })),
        fc.array(tie('s'), { maxLength: 3 }).map((list) => ({ list })),
        fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'id', 'name', 'when', 'items'), tie('s')), { maxLength: 4, selector: ([k]) => k }).map((fields) => ({ fields }))),
    })).s;
    const leafValue = (kind: (typeof leafKinds)[number]): fc.Arbitrary<unknown> => ({
      int: fc.integer(), float: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)), bool: fc.boolean(),
      null: fc.constant(null), text: fc.string().map((s) => `~${s}`), date: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
      uuid: fc.uuid(),
    })[kind];
    const fill = (s: Skeleton): fc.Arbitrary<unknown> => {
      if ('leaf' in s) return leafValue(s.leaf);
      if ('list' in s) return fc.tuple(...s.list.map(fill));
      return fc.tuple(...s.fields.map(([, sub]) => fill(sub))).map((values) => Object.fromEntries(s.fields.map(([k], i) => [k, values[i]])));
    };
    fc.assert(fc.property(skeleton.chain((s) => fc.tuple(fill(s), fill(s))), ([a, b]) => {
      expect(learnShape(a)).toEqual(learnShape(b));
    }), { numRuns: 300 });
  });
});

describe('learnShape', () => {
  it('makes a field optional when some results lack it, and merges array items of objects', () => {
    const shape = learnAll([
      { items: [{ id: 1, name: 'a' }, { id: 2 }], total: 2 },
      { items: [], total: 0, next: 'x' },
    ]);
    expect(shape).toEqual({
      type: 'object',
      properties: {
        items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } }, required: ['id'] } },
        total: { type: 'integer' },
        next: { type: 'string' },
      },
      required: ['items', 'total'],
    });
  });

  it('writes differing kinds as a union, and integer with number as number', () => {
    expect(learnAll([1, 'a', null])).toEqual({ type: ['string', 'integer', 'null'] });
    expect(learnAll([1, 1.5])).toEqual({ type: 'number' });
    expect(learnAll([{ a: 1 }, [1]])).toEqual({ type: ['object', 'array'], properties: { a: { type: 'integer' } }, required: ['a'], items: { type: 'integer' } });
  });

  it('keeps a string format only when every sample has it', () => {
    expect(learnAll(['2024-05-01T10:00:00Z', '2023-01-31T23:59:59.5+02:00'])).toEqual({ type: 'string', format: 'date-time' });
    expect(learnAll(['2024-05-01T10:00:00Z', '2024-05-01'])).toEqual({ type: 'string' });
    expect(learnAll(['2024-02-29'])).toEqual({ type: 'string', format: 'date' });
    expect(learnAll(['2023-02-29'])).toEqual({ type: 'string' });
    expect(learnAll(['https://example.com/a?b=c#d', 'http://x.org'])).toEqual({ type: 'string', format: 'uri' });
    expect(learnAll(['ann@example.com'])).toEqual({ type: 'string', format: 'email' });
    expect(learnAll(['0b6a3f0e-8d7c-4d0e-9a51-6c2f1e0a9b11'])).toEqual({ type: 'string', format: 'uuid' });
    expect(learnAll(['hello'])).toEqual({ type: 'string' });
  });

  it('turns an object keyed by data into a record, so no key that is a value becomes a field name', () => {
    const byEmail = { 'ann@example.com': { age: 3 }, 'bob@example.com': { age: 4 } };
    const shape = learnShape(byEmail);
    expect(shape).toEqual({ type: 'object', additionalProperties: { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] } });
    expect(JSON.stringify(shape)).not.toContain('example.com');
    expect(learnShape({ '/tmp/a.txt': 1 })).toEqual({ type: 'object', additionalProperties: { type: 'integer' } });
    expect(learnShape({ '0': 'x', '1': 'y' })).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(learnShape({ a1b2c3d4e5f6a7b8: true })).toEqual({ type: 'object', additionalProperties: { type: 'boolean' } });
  });

  it('turns an object with more fields than the bound into a record, also across calls', () => {
    const wide = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`field${i}`, i]));
    expect(learnShape(wide)).toEqual({ type: 'object', additionalProperties: { type: 'integer' } });
    const half = (from: number) => Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${from + i}`, 'x']));
    expect(learnAll([half(0), half(30)])).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(mergeAll([half(0), half(30)])).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
  });

  it('cuts nesting past the depth bound to any value', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20; i++) deep = { next: deep };
    const shape = learnShape(deep);
    let depth = 0;
    for (let s: Shape | undefined = shape; s?.properties?.['next']; s = s.properties['next']) depth++;
    expect(depth).toBeLessThanOrEqual(DEFAULT_SHAPE_BOUNDS.maxDepth + 1);
    expect(validatorOf(shape)(deep)).toBe(true);
  });

  it('bounds the nodes of a shape and the values one pass looks at', () => {
    const inner = Object.fromEntries('abcdefgh'.split('').map((k) => [k, { x: 1, y: 's' }]));
    const many = Array.from({ length: 45 }, (_, i) => ({ [`k${i}`]: inner }));
    const shape = learnAll(many);
    expect(countNodes(learnAll(many.slice(0, 1)))).toBe(1 + 1 + 8 * 3);
    expect(countNodes(shape)).toBeLessThanOrEqual(DEFAULT_SHAPE_BOUNDS.maxNodes);
    for (const sample of many) expect(validatorOf(shape)(sample)).toBe(true);
    const huge = Array.from({ length: DEFAULT_SHAPE_BOUNDS.maxVisits }, (_, i) => (i < DEFAULT_SHAPE_BOUNDS.maxVisits - 10 ? { a: 1 } : { a: 'late' }));
    const cut = learnShape(huge);
    expect(cut).toEqual({ type: 'array', items: {} });
    expect(validatorOf(cut)(huge)).toBe(true);
  });

  it('never stores a field named __proto__ as a prototype', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    const shape = learnShape(value);
    expect(Object.getPrototypeOf(shape.properties)).toBe(Object.prototype);
    expect(Object.keys(shape.properties ?? {})).toEqual(['__proto__']);
  });
});
