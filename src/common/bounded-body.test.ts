import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBoundedBody } from './bounded-body.js';

const bytes = (n: number) => new Uint8Array(n).fill(97);

function webStream(chunks: number[]): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean; pulled: () => number } {
  let cancelled = false;
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled++];
      if (next === undefined) controller.close();
      else controller.enqueue(bytes(next));
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, cancelled: () => cancelled, pulled: () => pulled };
}

describe('readBoundedBody', () => {
  it('reads a body within the limit whole, the limit itself included', async () => {
    expect((await readBoundedBody(webStream([3, 4, 3]).stream, 10))?.toString()).toBe('a'.repeat(10));
    expect((await readBoundedBody(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 3))?.toString()).toBe('abc');
    expect(await readBoundedBody(null, 0)).toEqual(Buffer.alloc(0));
  });

  it('stops at the first chunk past the limit and cancels a web stream', async () => {
    const body = webStream([4, 4, 4, 4, 4]);
    expect(await readBoundedBody(body.stream, 10)).toBeUndefined();
    expect(body.cancelled()).toBe(true);
    expect(body.pulled()).toBe(3);
  });

  it('reads nothing when the declared size is over, and runs onOver before stopping', async () => {
    const body = webStream([1]);
    const seen: string[] = [];
    expect(await readBoundedBody(body.stream, 10, { declaredBytes: 11, onOver: () => seen.push(`over, cancelled=${body.cancelled()}`) })).toBeUndefined();
    expect(seen).toEqual(['over, cancelled=false']);
    expect(body.cancelled()).toBe(true);
    expect(body.pulled()).toBe(0);
  });

  it('destroys a Node stream past the limit (an endless upload ends there)', async () => {
    let served: IncomingMessage | undefined;
    let settle: (value: Buffer | undefined) => void = () => undefined;
    const result = new Promise<Buffer | undefined>((resolve) => (settle = resolve));
    const server = createServer((req) => {
      served = req;
      void readBoundedBody(req, 1_000).then(settle);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const upload = request({ port, method: 'POST', host: '127.0.0.1' });
    upload.on('error', () => undefined);
    const timer = setInterval(() => upload.write(bytes(512)), 5);
    try {
      expect(await result).toBeUndefined();
      expect(served?.destroyed).toBe(true);
    } finally {
      clearInterval(timer);
      upload.destroy();
      server.close();
    }
  });
});
