import { describe, expect, it } from 'vitest';
import { boundTool, depthOf, MAX_DESCRIPTION_CHARS } from './tool-bounds.js';

function nested(depth: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < depth; i++) schema = { type: 'object', properties: { child: schema } };
  return schema;
}

describe('boundTool', () => {
  it('keeps an ordinary tool as it is', () => {
    const tool = { name: 't', description: 'd', inputSchema: { type: 'object' as const, properties: { a: { type: 'number' } } } };
    expect(boundTool(tool)).toEqual(tool);
  });

  it('replaces a schema nested 10,000 levels deep without overflowing the stack', () => {
    const deep = nested(10_000);
    expect(depthOf(deep)).toBeGreaterThan(64);
    const bounded = boundTool({ name: 't', inputSchema: deep as { type: 'object' }, outputSchema: deep as { type: 'object' } });
    expect(bounded.inputSchema).toEqual({ type: 'object', description: 'schema omitted: nested too deeply' });
    expect(bounded.outputSchema).toBeUndefined();
    expect(() => JSON.stringify(bounded)).not.toThrow();
  });

  it('cuts a huge description', () => {
    const bounded = boundTool({ name: 't', description: 'x'.repeat(300_000), inputSchema: { type: 'object' } });
    expect(bounded.description).toHaveLength(MAX_DESCRIPTION_CHARS + 1);
  });
});
