import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBoundedLines } from './bounded-lines.js';

function feed(chunks: readonly string[], limit: number): { lines: string[]; overflows: number[] } {
  const stream = new PassThrough();
  const lines: string[] = [];
  const overflows: number[] = [];
  readBoundedLines(stream, () => limit, (line) => lines.push(line), (bytes) => overflows.push(bytes));
  for (const chunk of chunks) stream.write(Buffer.from(chunk));
  return { lines, overflows };
}

describe('readBoundedLines', () => {
  it('gives whole lines across chunks, several in one chunk, without the newline or a trailing \\r', () => {
    expect(feed(['{"a":', '1}\n{"b"', ':2}\r\n{"c":3}\n{"d"'], 100)).toEqual({ lines: ['{"a":1}', '{"b":2}', '{"c":3}'], overflows: [] });
  });

  it('keeps multi-byte characters split between chunks whole', () => {
    const bytes = Buffer.from('é€\n');
    const stream = new PassThrough();
    const lines: string[] = [];
    readBoundedLines(stream, () => 100, (line) => lines.push(line), () => undefined);
    stream.write(bytes.subarray(0, 1));
    stream.write(bytes.subarray(1));
    expect(lines).toEqual(['é€']);
  });

  it('stops at a line longer than the limit, says so once, and gives nothing after it', () => {
    const { lines, overflows } = feed(['ok\n', 'x'.repeat(60), 'x'.repeat(60), 'x'.repeat(60), '\nlater\n'], 100);
    expect(lines).toEqual(['ok']);
    expect(overflows).toEqual([120]);
  });

  it('counts a line that ends within the same chunk against the limit too', () => {
    const { lines, overflows } = feed([`${'y'.repeat(150)}\nnext\n`], 100);
    expect(lines).toEqual([]);
    expect(overflows).toEqual([150]);
  });
});
