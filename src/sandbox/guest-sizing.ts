// Turns Limits into the sizes of one QuickJS instance (its WebAssembly.Memory pages, its QuickJS
// stack) and into timer delays. Pure. The figures come from the wasm file of @jitl/quickjs-wasmfile-release-sync
// 0.32.0 and from measurements in worker threads (see ENGINES.md and the notes below).

export const WASM_PAGE_BYTES = 65_536;

/** The wasm module imports its memory with a declared minimum of 256 pages (16 MiB). */
export const MIN_MEMORY_PAGES = 256;

/** Emscripten refuses to grow past 2 GiB. */
const MAX_MEMORY_PAGES = 32_768;

/**
 * Linear memory used before the guest allocates anything: static data (~90 KB), emscripten's
 * shadow stack (5 MiB; the heap starts at 5,333,088), then runtime, context and prelude
 * (~0.4 MiB). Rounded up.
 */
const BASE_OVERHEAD_BYTES = 6 * 2 ** 20;

/**
 * Emscripten grows the heap by asking for at least 5% more than the current size; once that
 * overshoot does not fit under the maximum, growth stops. So about 1/1.05 of the maximum is
 * usable; this factor gives that headroom back so that `memoryBytes` is what the guest can use.
 */
const GROWTH_HEADROOM = 1.06;

/** QuickJS's stack lives in the 5 MiB shadow stack: never let it reach the static data below. */
const SHADOW_STACK_CAP_BYTES = 4 * 2 ** 20;

/** Below this, not even the prelude fits. */
const MIN_GUEST_STACK_BYTES = 16 * 1024;

/**
 * Native (V8) stack bytes used per byte of QuickJS stack, worst case measured: the parser's
 * recursion (`eval('('.repeat(n))`) needs 24-32x; plain calls need about 2x. Taken with margin.
 */
const NATIVE_PER_GUEST_STACK = 48;

export interface MemoryPlan {
  readonly initialPages: number;
  readonly maximumPages: number;
}

/** Pages of the fixed WebAssembly.Memory of one run. */
export function planMemory(memoryBytes: number): MemoryPlan {
  const wanted = Math.ceil(((Math.max(0, memoryBytes) + BASE_OVERHEAD_BYTES) * GROWTH_HEADROOM) / WASM_PAGE_BYTES);
  const maximumPages = Math.min(MAX_MEMORY_PAGES, Math.max(MIN_MEMORY_PAGES, wanted));
  return { initialPages: MIN_MEMORY_PAGES, maximumPages };
}

/** The largest QuickJS stack a worker with `workerStackMb` of native stack can give safely. */
export function maxGuestStackFor(workerStackMb: number): number {
  const byNative = Math.floor((workerStackMb * 2 ** 20) / NATIVE_PER_GUEST_STACK);
  return Math.max(MIN_GUEST_STACK_BYTES, Math.min(SHADOW_STACK_CAP_BYTES, byNative));
}

/** Node timers fire at once for delays past 2^31-1 ms; a longer limit is as good as that. */
export function timerDelay(ms: number): number {
  return Math.min(2 ** 31 - 1, Math.max(0, Math.ceil(ms)));
}

/** The QuickJS stack of one run: the requested size, within what the worker can hold. */
export function planGuestStack(stackBytes: number, maxGuestStackBytes: number): number {
  return Math.max(MIN_GUEST_STACK_BYTES, Math.min(maxGuestStackBytes, Math.floor(stackBytes)));
}
