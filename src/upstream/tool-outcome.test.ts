import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../common/index.js';
import { errorText, normalizeToolResult, outcomeInvoker, toolOutcome } from './tool-outcome.js';

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

describe('toolOutcome', () => {
  it('passes one text item on unparsed, structured content and other kinds as values, isError as TOOL_ERROR', () => {
    expect(toolOutcome({ content: [{ type: 'text', text: '{"b":2}' }] })).toEqual({ ok: true, text: '{"b":2}' });
    expect(toolOutcome({ structuredContent: { a: 1 }, content: [{ type: 'text', text: '{"a":1}' }] })).toEqual({ ok: true, value: { a: 1 } });
    expect(toolOutcome({ content: [{ type: 'text', text: '1' }, { type: 'text', text: 'two' }] })).toEqual({ ok: true, value: [1, 'two'] });
    expect(toolOutcome({ isError: true, content: [{ type: 'text', text: 'no such issue' }] }))
      .toEqual({ ok: false, error: { code: 'TOOL_ERROR', message: 'no such issue', data: { content: [{ type: 'text', text: 'no such issue' }] } } });
  });
});

describe('outcomeInvoker', () => {
  it('turns a thrown error into an outcome with its code, or UPSTREAM_UNAVAILABLE for a plain Error', async () => {
    const invoker = outcomeInvoker({ callTool: async (_s, tool) => { throw tool === 'typed' ? new UpstreamError('UPSTREAM_TIMEOUT', 'no answer within 5 ms') : new Error('socket hang up'); } });
    expect(await invoker.callTool('s', 'typed', {}, { timeoutMs: 5 })).toEqual({ ok: false, error: { code: 'UPSTREAM_TIMEOUT', message: 'no answer within 5 ms' } });
    expect(await invoker.callTool('s', 'plain', {}, { timeoutMs: 5 })).toEqual({ ok: false, error: { code: 'UPSTREAM_UNAVAILABLE', message: 'socket hang up' } });
  });
});
