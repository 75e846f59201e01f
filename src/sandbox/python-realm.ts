// The worker thread's own JavaScript realm, shared by every interpreter it restores: a program that
// reaches a JS object through a proxy must leave nothing in it for the next run. Two closures:
// the realm's shared prototypes and constructors are frozen (no mark, no `then` getter, no
// replaced `Promise.resolve` survives into another run), and every timer a run leaves pending (a
// callback scheduled to run after it ended) is counted, so that worker is replaced. Used by python-worker.ts.

type TimerFunction = (callback: (...args: unknown[]) => void, ...rest: unknown[]) => unknown;
type ClearFunction = (handle: unknown) => void;

/** Timers scheduled in this worker that have neither fired nor been cleared, counted from a mark. */
export interface TimerLedger {
  /** Starts counting afresh: only timers scheduled from now on count. */
  mark(): void;
  /** Timers scheduled since the mark that are still pending. */
  readonly pending: number;
}

/** Wraps this realm's setTimeout, setInterval and setImmediate (and their clears) to count pending timers. Call once, before pyodide loads. */
export function trackTimers(): TimerLedger {
  let live = new Set<unknown>();
  const realm = globalThis as unknown as Record<string, TimerFunction | ClearFunction>;
  const wrap = (name: string, clearName: string, repeats: boolean): void => {
    const schedule = realm[name] as TimerFunction;
    const clear = realm[clearName] as ClearFunction;
    const scheduled: TimerFunction = (callback, ...rest) => {
      const ledger = live;
      let handle: unknown;
      const run = (...args: unknown[]): void => {
        if (!repeats) ledger.delete(handle);
        callback(...args);
      };
      handle = schedule(typeof callback === 'function' ? run : callback, ...rest);
      ledger.add(handle);
      return handle;
    };
    const cleared: ClearFunction = (handle) => {
      live.delete(handle);
      clear(handle);
    };
    realm[name] = scheduled;
    realm[clearName] = cleared;
  };
  wrap('setTimeout', 'clearTimeout', false);
  wrap('setInterval', 'clearInterval', true);
  wrap('setImmediate', 'clearImmediate', false);
  return {
    mark() {
      live = new Set();
    },
    get pending() {
      return live.size;
    },
  };
}

/**
 * Freezes the realm's intrinsics a program could change through a proxy: every built-in
 * constructor and namespace on globalThis, their prototypes, and the prototypes of functions,
 * iterators and generators. Called once pyodide has loaded its first interpreter (it gives its
 * own function objects properties; the built-in functions themselves stay extensible for that).
 */
export function freezeIntrinsics(): void {
  const realm = globalThis as unknown as Record<string, unknown>;
  const seen = new Set<object>();
  const freeze = (value: unknown): void => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return;
    seen.add(value);
    allowOverrides(value);
    Object.freeze(value);
  };
  const freezeWithPrototype = (value: unknown): void => {
    freeze(value);
    if (typeof value === 'function') freeze((value as { prototype?: unknown }).prototype);
  };
  for (const name of INTRINSICS) freezeWithPrototype(realm[name]);
  // Node sets Error.stackTraceLimit on its own paths: the error constructors stay, their prototypes freeze.
  for (const name of ERRORS) freeze((realm[name] as { prototype?: unknown } | undefined)?.prototype);
  const kinds = [function () {}, async function () {}, function* () {}, async function* () {}];
  for (const fn of kinds) {
    const proto = Object.getPrototypeOf(fn) as object;
    freeze(proto);
    // What its instances inherit from (%GeneratorPrototype%, ...); async functions make none.
    const instances = (fn as { prototype?: object }).prototype;
    if (instances) freeze(Object.getPrototypeOf(instances));
  }
  freeze(Object.getPrototypeOf(Int8Array)); // %TypedArray%
  freeze(Object.getPrototypeOf(Int8Array.prototype));
  freeze(Object.getPrototypeOf([][Symbol.iterator]())); // %ArrayIteratorPrototype%
  freeze(Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))); // %IteratorPrototype%
  freeze(Object.getPrototypeOf(new Map()[Symbol.iterator]()));
  freeze(Object.getPrototypeOf(new Set()[Symbol.iterator]()));
  freeze(Object.getPrototypeOf(''[Symbol.iterator]()));
}

// Names code commonly gives an object of its own (`error.name = ...`, `x.constructor = ...`).
const OVERRIDDEN: readonly PropertyKey[] = ['constructor', 'toString', 'toLocaleString', 'valueOf', 'name', 'message', 'then', Symbol.toStringTag];

/**
 * JavaScript refuses `obj.name = v` when a frozen prototype has `name` as a data property (the
 * "override mistake"): those properties become a getter, and a setter that gives the object an own
 * property, so code that assigns them (pyodide does) works; the prototype itself is left unchanged.
 */
function allowOverrides(target: object): void {
  for (const key of OVERRIDDEN) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (!descriptor || !('value' in descriptor) || !descriptor.configurable) continue;
    const { value } = descriptor;
    Object.defineProperty(target, key, {
      configurable: false,
      enumerable: descriptor.enumerable ?? false,
      get: () => value,
      set(this: object, next: unknown) {
        if (this === target) throw new TypeError(`Cannot assign to read only property '${String(key)}' of a frozen built-in`);
        Object.defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true });
      },
    });
  }
}

// Built-ins whose object or prototype every piece of JavaScript in the worker shares. Math, JSON,
// Reflect and friends are frozen as namespaces; their functions stay extensible (emscripten tags
// some with a `sig`), which changes nothing for another caller.
const INTRINSICS = [
  'Object', 'Function', 'Array', 'Promise', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'RegExp', 'Date', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'Math', 'JSON', 'Reflect', 'Atomics', 'Proxy', 'WebAssembly',
  'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'AbortController', 'AbortSignal', 'EventTarget', 'Event',
  'MessageChannel', 'MessagePort', 'queueMicrotask', 'structuredClone',
] as const;

const ERRORS = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'] as const;
