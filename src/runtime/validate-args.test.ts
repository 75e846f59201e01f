import { describe, expect, it } from 'vitest';
import { checkArguments } from './validate-args.js';

const entities = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    entities: {
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['name'], additionalProperties: false },
    },
  },
  required: ['entities'],
};

describe('checkArguments', () => {
  it('accepts valid arguments', () => {
    expect(checkArguments(entities, { entities: [{ name: 'a', tags: ['x'] }] })).toBeUndefined();
  });

  it('names a missing field with its path', () => {
    expect(checkArguments(entities, { entities: [{ name: 'a' }, {}] })).toBe('missing required field "entities[1].name"');
    expect(checkArguments(entities, {})).toBe('missing required field "entities"');
  });

  it('names a field of the wrong type, never its value', () => {
    const message = checkArguments(entities, { entities: [{ name: 'a', tags: ['x', 42] }] });
    expect(message).toBe('field "entities[0].tags[1]" must be string');
    expect(message).not.toContain('42');
  });

  it('names an unknown field where the schema forbids extras', () => {
    expect(checkArguments(entities, { entities: [{ name: 'a', color: 'red' }] })).toBe('unknown field "entities[0].color"');
  });

  it('understands 2020-12 schemas', () => {
    const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { p: { type: 'array', prefixItems: [{ type: 'number' }] } } };
    expect(checkArguments(schema, { p: ['x'] })).toBe('field "p[0]" must be number');
  });

  it('lets the upstream judge when a schema does not compile', () => {
    expect(checkArguments({ type: 'object', properties: { a: { $ref: '#/nowhere' } } }, { a: 1 })).toBeUndefined();
  });

  it('checks a catastrophic pattern in linear time instead of stalling the host (ReDoS)', () => {
    const schema = { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } };
    const started = performance.now();
    expect(checkArguments(schema, { s: `${'a'.repeat(40)}!` })).toBe('field "s" must match pattern "^(a+)+$"');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(checkArguments(schema, { s: 'aaa' })).toBeUndefined();
  });
});
