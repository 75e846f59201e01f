// A fetch for remote upstream transports whose response bodies are bounded in bytes: a huge
// response errors the stream past the limit instead of growing the gateway's memory. A limiter,
// not a reader (the SDK reads SSE as it comes); whole bodies are read by common/bounded-body.ts.
// Imported by upstream/transport.ts.
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

export function createBoundedFetch(maxBodyBytes: number, base: FetchLike = fetch): FetchLike {
  return async (url, init) => {
    const response = await base(url, init);
    if (!response.body) return response;
    let seen = 0;
    const limited = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBodyBytes) controller.error(new Error(`upstream response over ${maxBodyBytes} bytes`));
        else controller.enqueue(chunk);
      },
    }));
    return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
