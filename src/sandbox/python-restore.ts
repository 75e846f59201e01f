// Makes restoring a pyodide instance from the snapshot cheap, once per Python sandbox worker: the
// files pyodide reads on every load (the wasm binary, unused here, the stdlib zip, the lock file) are
// read once, and the snapshot's memory image is copied without its all-zero pages (a new instance's
// memory is zero already, and every page touched costs a fault). Imported by python-instance.ts only.
import { readFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The pyodide module as far as the restore touches it. */
interface RestoringModule {
  HEAP8: { set(image: Uint8Array): void; readonly buffer: ArrayBufferLike };
  readonly API: { restoreSnapshot(snapshot: Uint8Array): unknown };
}
type ModuleFactory = (settings: object) => Promise<RestoringModule>;

/** What loadPyodide is given on top of its options to restore an instance the cheap way. */
export interface RestoreOptions {
  readonly lockFileContents: string;
  readonly createPyodideModule: (settings: object) => Promise<unknown>;
}

const PAGE = 4096;
/** Every this many instances, the pages left out are checked to still be zero before the copy. */
const VERIFY_EVERY = 32;
const ZEROS = new Uint8Array(1 << 20);
/** The stdlib zip as read once by cachePyodideFiles. */
let stdlibBytes: Uint8Array | undefined;

interface MinimalFs {
  readdir(path: string): string[];
  lookupPath(path: string): { node: { contents?: unknown } };
}

/**
 * Checks that an instance's stdlib zip is its own copy, not the bytes shared by every instance of
 * this worker (a program that wrote to the file would otherwise change it for the next runs).
 */
export function assertOwnStdlib(fs: unknown): void {
  const shared = stdlibBytes;
  if (!shared) return;
  const files = fs as MinimalFs;
  for (const name of files.readdir('/lib').filter((entry) => entry.endsWith('.zip'))) {
    const contents = files.lookupPath(`/lib/${name}`).node.contents;
    if (contents instanceof Uint8Array && contents.buffer === shared.buffer) throw new Error('the Python stdlib zip of a new interpreter shares its bytes with the other interpreters');
  }
}

/**
 * Serves pyodide's two per-load file reads (`fs/promises.readFile` of the wasm binary and of the
 * stdlib zip) from memory in this worker: the binary is never instantiated here (the compiled module
 * is, see installInstantiationGuard) and pyodide copies the zip into its own file system, so one
 * read per worker serves every instance. Any other path is read as before.
 */
export function cachePyodideFiles(indexURL: string): void {
  if (stdlibBytes) return;
  const require = createRequire(import.meta.url);
  const fsp = require('node:fs/promises') as { readFile: (...args: unknown[]) => Promise<unknown> };
  const wasmPath = `${indexURL}pyodide.asm.wasm`;
  const stdlibPath = `${indexURL}python_stdlib.zip`;
  const stdlib = readFileSync(stdlibPath);
  stdlibBytes = stdlib;
  const read = fsp.readFile;
  fsp.readFile = function readFile(this: unknown, ...args: unknown[]): Promise<unknown> {
    if (args[0] === wasmPath) return Promise.resolve(Buffer.alloc(0));
    if (args[0] === stdlibPath) return Promise.resolve(stdlib);
    return read.apply(this, args);
  };
  // pyodide reads through the ESM namespace of node:fs/promises: bring it in line.
  syncBuiltinESMExports();
}

/** Which 4 KiB pages of a snapshot's memory image hold anything but zeros, as ranges. */
export function nonZeroRanges(image: Uint8Array): Array<readonly [number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < image.length; start += PAGE) {
    const end = Math.min(image.length, start + PAGE);
    if (isZero(image, start, end)) continue;
    const last = ranges.at(-1);
    if (last && last[1] === start) last[1] = end;
    else ranges.push([start, end]);
  }
  return ranges;
}

function isZero(bytes: Uint8Array, start: number, end: number): boolean {
  for (let at = start; at < end; at += ZEROS.length) {
    const length = Math.min(end - at, ZEROS.length);
    if (Buffer.compare(bytes.subarray(at, at + length), ZEROS.subarray(0, length)) !== 0) return false;
  }
  return true;
}

/**
 * Copies `image` into `heap` (a new instance's memory) page range by page range, leaving out the
 * pages that are zero in the image. Those must be zero in the heap too: pyodide's start-up code ran
 * before the restore and wrote to a few pages. Where it writes is the same every time; `verify`
 * checks it (every page left out is compared with zeros, and cleared if it is not).
 * Returns how many left-out pages were not zero.
 */
export function copySparse(heap: Uint8Array, image: Uint8Array, ranges: ReadonlyArray<readonly [number, number]>, verify: boolean): number {
  let dirty = 0;
  let zeroFrom = 0;
  const clearGap = (from: number, to: number): void => {
    if (!verify || from >= to) return;
    if (isZero(heap, from, to)) return;
    for (let page = from; page < to; page += PAGE) {
      const end = Math.min(to, page + PAGE);
      if (!isZero(heap, page, end)) {
        heap.fill(0, page, end);
        dirty += 1;
      }
    }
  };
  for (const [start, end] of ranges) {
    clearGap(zeroFrom, start);
    heap.set(image.subarray(start, end), start);
    zeroFrom = end;
  }
  clearGap(zeroFrom, image.length);
  return dirty;
}

/**
 * The options that make loadPyodide restore `snapshot` the cheap way in this worker. pyodide's own
 * restoreSnapshot still checks the snapshot (magic number, build id) and reads its settings; only
 * its copy of the memory image is replaced by copySparse.
 */
export async function restoreOptions(indexURL: string, snapshot: Uint8Array): Promise<RestoreOptions> {
  const factory = (await import(pathToFileURL(`${indexURL}pyodide.asm.mjs`).href) as { default: ModuleFactory }).default;
  const lockFileContents = readFileSync(`${indexURL}pyodide-lock.json`, 'utf8');
  // Header: magic, offset of the memory image, length of the settings JSON (pyodide's snapshot.ts).
  const imageOffset = new Uint32Array(snapshot.buffer, snapshot.byteOffset, 2)[1]!;
  const image = snapshot.subarray(imageOffset);
  const ranges = nonZeroRanges(image);
  let restored = 0;
  let alwaysVerify = false;
  const createPyodideModule = async (settings: object): Promise<unknown> => {
    const module = await factory(settings);
    const api = module.API;
    const restore = api.restoreSnapshot.bind(api);
    api.restoreSnapshot = (given: Uint8Array): unknown => {
      const heap8 = module.HEAP8;
      const heap = new Uint8Array(heap8.buffer);
      let copied = false;
      module.HEAP8 = {
        buffer: heap8.buffer,
        set: (data: Uint8Array) => {
          copied = true;
          if (given !== snapshot || data.byteOffset !== image.byteOffset || data.length !== image.length || heap.length < image.length) {
            heap.set(data); // not the image the ranges describe: copy it whole
            return;
          }
          const verify = alwaysVerify || restored % VERIFY_EVERY === 0;
          if (copySparse(heap, image, ranges, verify) > 0) alwaysVerify = true;
        },
      };
      try {
        return restore(given);
      } finally {
        module.HEAP8 = heap8;
        restored += 1;
        if (!copied) throw new Error('pyodide restored its snapshot without copying the memory image');
      }
    };
    return module;
  };
  return { lockFileContents, createPyodideModule };
}
