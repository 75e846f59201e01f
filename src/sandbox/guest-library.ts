// A library namespace in the guest (RunRequest.library, e.g. saved skills): evaluates each
// function's source in a file of its own, wrapped so the namespace's name inside it is the
// namespace one call level deeper, and hands them to the prelude's `define`. Also finds where in a
// library function an error happened. Imported by guest-run.ts and guest-failure.ts only.
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import type { CodePosition, GuestLibrary } from './engine.js';
import type { Kit } from './guest-kit.js';
import { stackFrames } from './stack-frames.js';

/** The wrapper puts one line before the source: a frame's line in the file is the source's line + 1. */
const LINE_OFFSET = 1;

/** File name of a library function in guest stack traces: `skills.weekly_report`. */
export function libraryFilename(namespace: string, name: string): string {
  return `${namespace}.${name}`;
}

const wrap = (namespace: string, source: string): string => `(function (${namespace}) { return (\n${source}\n); })`;

/**
 * Evaluates every function of `library` (each a factory taking the namespace) and installs the
 * namespace through the kit. `run` runs guest code under the run's limits. Answers the guest
 * error handle when one failed (its caller reports it like any thrown value), else undefined.
 */
export function defineLibrary(ctx: QuickJSContext, kit: Kit, library: GuestLibrary, run: <T>(work: () => T) => T): QuickJSHandle | undefined {
  const factories = ctx.newObject();
  const args: QuickJSHandle[] = [];
  try {
    for (const [name, source] of Object.entries(library.functions)) {
      const made = run(() => ctx.evalCode(wrap(library.namespace, source), libraryFilename(library.namespace, name), { type: 'global' }));
      if (made.error) return made.error;
      ctx.setProp(factories, name, made.value);
      made.value.dispose();
    }
    args.push(ctx.newString(library.namespace), ctx.newString(library.gate), ctx.newNumber(library.maxDepth));
    const defined = run(() => ctx.callFunction(kit.define, ctx.undefined, ...args, factories));
    if (defined.error) return defined.error;
    defined.value.dispose();
    return undefined;
  } finally {
    for (const handle of args) handle.dispose();
    factories.dispose();
  }
}

/**
 * The innermost frame of `stack` in a file the run knows, when it lies in a library function: the
 * function's name and the position in its source. Undefined when the program's frame is innermost.
 */
export function findLibraryFrame(stack: string, programFile: string, library: GuestLibrary | undefined): { name: string; position: CodePosition } | undefined {
  if (!library) return undefined;
  const prefix = `${library.namespace}.`;
  for (const frame of stackFrames(stack)) {
    if (frame.file === programFile) return undefined;
    if (!frame.file.startsWith(prefix)) continue;
    const name = frame.file.slice(prefix.length);
    if (!Object.hasOwn(library.functions, name)) continue;
    const line = frame.line - LINE_OFFSET;
    if (line >= 1 && frame.column >= 1) return { name, position: { line, column: frame.column } };
  }
  return undefined;
}
