// Creates one fresh QuickJS instance (its own WebAssembly instance and fixed Memory) for one run.
// Used inside a worker only. An instance is never reused: after its run it is dropped whole, so a
// dirty runtime (interrupted, out of memory) is never even disposed. Only the Memory may be
// recycled, zeroed, for a later instance: fresh pages cost page faults and unmapping, reused ones not.
import {
  newQuickJSWASMModuleFromVariant, newVariant, type QuickJSContext, type QuickJSRuntime, type QuickJSSyncVariant,
} from 'quickjs-emscripten-core';
import releaseSyncModule from '@jitl/quickjs-wasmfile-release-sync';
import type { MemoryPlan } from './guest-sizing.js';
import { wasm, type WasmMemory, type WasmModule } from './wasm-api.js';

// Emscripten's heap resize (emscripten_resize_heap) makes exactly three grow attempts with
// shrinking overshoot and reports failure only when all three throw. Three failures in a row,
// with no success between, therefore mean malloc returned NULL: a hard out-of-memory that the
// guest must not be able to swallow with try/catch.
const GROW_ATTEMPTS_PER_RESIZE = 3;

/** A fixed-maximum WebAssembly.Memory that notices when the guest's heap could not grow. */
export class GuestMemory {
  readonly memory: WasmMemory;
  readonly maximumPages: number;
  private failedInARow = 0;
  private hitMaximum = false;

  constructor(plan: MemoryPlan) {
    this.maximumPages = plan.maximumPages;
    this.memory = new wasm.Memory({ initial: plan.initialPages, maximum: plan.maximumPages });
    const grow = this.memory.grow.bind(this.memory);
    // Emscripten calls `wasmMemory.grow` on this very object, so an own property intercepts it.
    Object.defineProperty(this.memory, 'grow', {
      value: (delta: number): number => {
        try {
          const previous = grow(delta);
          this.failedInARow = 0;
          return previous;
        } catch (error) {
          this.failedInARow += 1;
          if (this.failedInARow >= GROW_ATTEMPTS_PER_RESIZE) this.hitMaximum = true;
          throw error;
        }
      },
    });
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** True once an allocation needed the heap to grow past the maximum. */
  get exhausted(): boolean {
    return this.hitMaximum;
  }

  /** Makes the Memory as good as new (all zero, as a fresh one is) for the next instance. */
  reset(): void {
    new Uint8Array(this.memory.buffer).fill(0);
    this.failedInARow = 0;
    this.hitMaximum = false;
  }
}

export interface GuestInstance {
  readonly runtime: QuickJSRuntime;
  readonly context: QuickJSContext;
  readonly memory: GuestMemory;
}

/** Instantiates QuickJS on `memory`, which must be new or `reset()` and used by no live instance. */
export async function createGuestInstance(wasmModule: WasmModule, memory: GuestMemory): Promise<GuestInstance> {
  const variant = newVariant(releaseSync, {
    wasmModule: wasmModule as never,
    wasmMemory: memory.memory as never,
    // Emscripten prints "Aborted(...)" and the like to the console; a worker's console would reach
    // the host's stdout, which may be the MCP stdio channel. Silence it: failures surface as values.
    emscriptenModule: silentOutput,
  });
  const module = await newQuickJSWASMModuleFromVariant(variant);
  const runtime = module.newRuntime();
  const context = runtime.newContext();
  return { runtime, context, memory };
}

// The package's types describe its CommonJS build (variant under `.default`); loaded as ESM the
// default export is the variant itself. Accept either.
const releaseSync = ((): QuickJSSyncVariant => {
  const loaded = releaseSyncModule as unknown as QuickJSSyncVariant | { readonly default: QuickJSSyncVariant };
  return 'default' in loaded ? loaded.default : loaded;
})();

const ignore = (): void => {};
// `print`/`printErr` are Emscripten module options the loader's type does not list.
const silentOutput = { print: ignore, printErr: ignore } as Record<string, unknown>;
