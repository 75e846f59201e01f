// cemcp's one reader of a bounded HTTP body: a request or response body (a web ReadableStream or a
// Node stream, any async iterable of bytes) read whole into one Buffer, but never past maxBytes:
// past it (or when the declared length is already over) reading stops and the stream is
// cancelled or destroyed. Callers turn `undefined` into their own error. Pure but for the stream.

export interface BoundedBodyOptions {
  /** A declared size (Content-Length); over maxBytes, nothing is read. */
  readonly declaredBytes?: number | undefined;
  /** Runs once the limit is passed, before the stream is stopped (e.g. to answer 413 first). */
  readonly onOver?: () => void;
}

/** The whole body, or `undefined` when it is larger than `maxBytes` (the stream is then stopped). */
export async function readBoundedBody(
  body: AsyncIterable<Uint8Array> | null | undefined, maxBytes: number, options: BoundedBodyOptions = {},
): Promise<Buffer | undefined> {
  if (!body) return Buffer.alloc(0);
  const iterator = body[Symbol.asyncIterator]();
  const stop = async () => {
    options.onOver?.();
    // return() cancels a web stream and destroys a Node stream; a failing cancel changes nothing.
    await Promise.resolve(iterator.return?.()).catch(() => undefined);
    return undefined;
  };
  if (options.declaredBytes !== undefined && options.declaredBytes > maxBytes) return stop();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    total += next.value.byteLength;
    if (total > maxBytes) return stop();
    chunks.push(next.value);
  }
  return Buffer.concat(chunks, total);
}
