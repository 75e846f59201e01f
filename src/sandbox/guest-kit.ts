// The host's half of the prelude in one instance. prepareGuest() evaluates the prelude in a fresh
// instance before any run owns it (a worker does so for its spare while idle, ~1-3 ms off each run);
// GuestPrelude.start() then binds one run's handlers and limits to it and returns the kit. An
// instance is prepared once, started once, and runs one program: no state crosses between runs.
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import type { GuestForm } from './engine.js';
import type { GuestInstance } from './guest-instance.js';
import { CALL_REFUSED, PRELUDE_FILENAME, PRELUDE_SOURCE } from './guest-prelude.js';

/** The functions of the prelude the host calls during a run (see guest-prelude.ts). */
export interface Kit {
  readonly deliver: QuickJSHandle;
  readonly finish: QuickJSHandle;
  readonly describe: QuickJSHandle;
  /** Installs a library namespace (RunRequest.library): `(namespace, gate, maxDepth, factories)`. */
  readonly define: QuickJSHandle;
}

/** What the guest's `hostCall` and `hostLog` reach: the run that started the prelude. */
export interface HostHandlers {
  call(namespace?: QuickJSHandle, fn?: QuickJSHandle, argsJson?: QuickJSHandle): number;
  log(level?: QuickJSHandle, text?: QuickJSHandle, cut?: QuickJSHandle): number;
}

export interface RunSettings {
  readonly api: Readonly<Record<string, readonly string[]>>;
  readonly logBudgetBytes: number;
  readonly maxTextChars: number;
  readonly maxArgumentBytes: number;
  /** Namespaces rendered in another form (RunRequest.forms). */
  readonly forms: Readonly<Record<string, GuestForm>>;
}

export type StartResult = { readonly kit: Kit } | { readonly error: QuickJSHandle };

export interface GuestPrelude {
  /** Binds the run's handlers, installs the api's namespaces and returns the kit. Once per instance. */
  start(handlers: HostHandlers, settings: RunSettings): StartResult;
}

export interface PreparedGuest extends GuestInstance {
  readonly prelude: GuestPrelude;
}

/**
 * Evaluates the prelude in `instance`, which no program has run in. Throws only if our own
 * prelude cannot be evaluated (no limit is set yet): the instance is then unusable.
 */
export function prepareGuest(instance: GuestInstance): PreparedGuest {
  const ctx = instance.context;
  let handlers: HostHandlers | undefined;
  // Before a run starts the prelude, nothing in the guest can call these; if it could, it is refused.
  const hostCall = ctx.newFunction('hostCall', (ns, fn, json) => ctx.newNumber(handlers ? handlers.call(ns, fn, json) : CALL_REFUSED));
  const hostLog = ctx.newFunction('hostLog', (level, text, cut) => ctx.newNumber(handlers ? handlers.log(level, text, cut) : 0));
  const made = ctx.evalCode(PRELUDE_SOURCE, PRELUDE_FILENAME, { type: 'global', strict: true });
  const begun = made.error ? made : ctx.callFunction(made.value, ctx.undefined, hostCall, hostLog);
  for (const handle of [hostCall, hostLog, ...(made.error ? [] : [made.value])]) handle.dispose();
  if (begun.error) {
    const detail = describeHandle(ctx, begun.error);
    begun.error.dispose();
    throw new Error(`the sandbox prelude failed to evaluate: ${detail}`);
  }
  const startFn = begun.value;
  let started = false;
  const prelude: GuestPrelude = {
    start(runHandlers, settings) {
      if (started) throw new Error('GuestPrelude.start: an instance runs one program only');
      started = true;
      handlers = runHandlers;
      const args = [
        ctx.newString(JSON.stringify(settings.api)), ctx.newNumber(settings.logBudgetBytes),
        ctx.newNumber(settings.maxTextChars), ctx.newNumber(settings.maxArgumentBytes), ctx.newString(JSON.stringify(settings.forms)),
      ];
      const kit = ctx.callFunction(startFn, ctx.undefined, ...args);
      for (const handle of [startFn, ...args]) handle.dispose();
      if (kit.error) return { error: kit.error };
      const result = {
        deliver: ctx.getProp(kit.value, 'deliver'), finish: ctx.getProp(kit.value, 'finish'), describe: ctx.getProp(kit.value, 'describe'),
        define: ctx.getProp(kit.value, 'define'),
      };
      kit.value.dispose();
      return { kit: result };
    },
  };
  return { ...instance, prelude };
}

function describeHandle(ctx: QuickJSContext, handle: QuickJSHandle): string {
  try {
    const dumped = ctx.dump(handle) as { message?: unknown } | null;
    return typeof dumped?.message === 'string' ? dumped.message : String(dumped);
  } catch {
    return 'unknown error';
  }
}
