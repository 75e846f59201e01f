// The few WebAssembly JS-API members the sandbox uses, typed locally: the project compiles
// without the DOM lib, and @types/node 20 does not declare the WebAssembly globals.
// Imported by sandbox files only.

/** A compiled module: opaque here, cloneable to worker threads. */
export type WasmModule = object;

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

interface WasmApi {
  readonly Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<WasmModule>;
}

export const wasm = (globalThis as unknown as { readonly WebAssembly: WasmApi }).WebAssembly;
