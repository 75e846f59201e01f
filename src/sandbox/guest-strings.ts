// Moves a host string into a guest fast. quickjs-emscripten's newString encodes UTF-8 in a
// JavaScript loop (a 6 MB tool result: hundreds of ms, more than the guest's JSON.parse of it);
// here Node encodes it natively, straight into the instance's heap. Reaches quickjs-emscripten
// 0.32 internals (its context's module, ffi and memory); guest-strings.test.ts pins them.
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';

/** The parts of a QuickJSContext this file uses; `protected` in its typings. */
interface ContextInternals {
  readonly module: { _malloc(size: number): number; _free(ptr: number): void; readonly HEAPU8: Uint8Array };
  readonly ffi: { QTS_NewString(ctx: never, string: never): number };
  readonly ctx: { readonly value: number };
  readonly memory: { heapValueHandle(ptr: never): QuickJSHandle };
}

const encoder = new TextEncoder();

/** Below this many characters the library's own newString is as fast. */
const NATIVE_FROM_CHARS = 4_096;

/**
 * `text` as a guest string, or undefined when the guest's heap has no room for its bytes (the
 * instance's memory is then exhausted: the caller ends the run with SANDBOX_MEMORY). Like
 * newString, the text ends at its first NUL character (JSON text has none: it escapes them).
 */
export function newGuestString(ctx: QuickJSContext, text: string): QuickJSHandle | undefined {
  if (text.length < NATIVE_FROM_CHARS) return ctx.newString(text);
  const internals = ctx as unknown as ContextInternals;
  const { module } = internals;
  const bytes = Buffer.byteLength(text, 'utf8');
  const ptr = module._malloc(bytes + 1);
  if (ptr === 0) return undefined;
  try {
    // HEAPU8 is read after malloc: a malloc that grew the memory replaced the buffer.
    const heap = module.HEAPU8;
    encoder.encodeInto(text, heap.subarray(ptr, ptr + bytes));
    heap[ptr + bytes] = 0;
    return internals.memory.heapValueHandle(internals.ffi.QTS_NewString(internals.ctx.value as never, ptr as never) as never);
  } finally {
    module._free(ptr);
  }
}
