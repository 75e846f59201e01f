import { describe, expect, it } from 'vitest';
import { errorText, normalizeToolResult } from './tool-outcome.js';

describe('normalizeToolResult', () => {
  it('prefers structuredContent', () => {
    expect(normalizeToolResult({ structuredContent: { a: 1 }, content: [{ type: 'text', text: 'ignored' }] })).toEqual({ a: 1 });
  });

  it('parses JSON text and keeps plain text', () => {
    expect(normalizeToolResult({ content: [{ type: 'text', text: '{"b":2}' }] })).toEqual({ b: 2 });
    expect(normalizeToolResult({ content: [{ type: 'text', text: 'The sum is 5' }] })).toBe('The sum is 5');
    expect(normalizeToolResult({ content: [{ type: 'text', text: '{not json' }] })).toBe('{not json');
  });

  it('describes non-text content by type, mimeType and data or uri', () => {
    expect(normalizeToolResult({ content: [{ type: 'image', mimeType: 'image/png', data: 'AAA' }, { type: 'resource_link', uri: 'file:///x', mimeType: 'text/plain', name: 'x' }] }))
      .toEqual([{ type: 'image', mimeType: 'image/png', data: 'AAA' }, { type: 'resource_link', mimeType: 'text/plain', uri: 'file:///x', name: 'x' }]);
  });

  it('gives null for an empty result', () => {
    expect(normalizeToolResult({ content: [] })).toBeNull();
  });
});

describe('errorText', () => {
  it('joins text content and bounds it', () => {
    expect(errorText({ content: [{ type: 'text', text: 'x'.repeat(50) }], isError: true }, 10)).toBe(`${'x'.repeat(10)}…[cut]`);
    expect(errorText({ isError: true }, 100)).toBe('the tool reported an error');
  });
});
