// Splits a stream into lines as readline does, but never holds more than `limit()` bytes of one
// line: past it, the rest is dropped and `onOverflow` is told once. A peer that writes without end
// (an upstream server, a Python sandbox process) must not fill the gateway's memory.
import type { Readable } from 'node:stream';

const NEWLINE = 0x0a;

export function readBoundedLines(stream: Readable, limit: () => number, onLine: (line: string) => void, onOverflow: (bytes: number) => void): void {
  let parts: Buffer[] = [];
  let size = 0;
  let overflowed = false;
  stream.on('data', (chunk: Buffer) => {
    if (overflowed) return;
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end);
      start = end + 1;
      if (size + piece.length > limit()) return overflow(size + piece.length);
      const line = size === 0 ? piece : Buffer.concat([...parts, piece]);
      parts = [];
      size = 0;
      onLine(line.toString('utf8').replace(/\r$/, ''));
      if (overflowed) return;
    }
    if (start === chunk.length) return;
    parts.push(chunk.subarray(start));
    size += chunk.length - start;
    if (size > limit()) overflow(size);
  });

  function overflow(bytes: number): void {
    overflowed = true;
    parts = [];
    size = 0;
    onOverflow(bytes);
  }
}
