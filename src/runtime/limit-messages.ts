// Every per-run limit in one table: its error code, the config key that raises it, and the advice
// appended to its message (do with less, or raise the key). The engine says which limit was hit
// and its value; this file adds the way out. Pure; imported by runtime/ (and the call pipeline).
import type { Limits, RunFailure } from '../sandbox/index.js';

export interface LimitEntry {
  /** The error code a program or client sees when the limit is hit. */
  readonly code: string;
  /** Where the limit is set, as written in the config file. */
  readonly configKey: string;
  /** How to stay under it without raising it. */
  readonly doWithLess: string;
}

/** Keyed by the limit's name (RunFailure.limit for the engine's own, a name of ours for the rest). */
export const LIMITS = {
  cpuMs: { code: 'SANDBOX_CPU', configKey: 'cemcp.limits.cpuMs', doWithLess: 'compute less in one run' },
  wallMs: { code: 'SANDBOX_TIMEOUT', configKey: 'cemcp.limits.wallMs', doWithLess: 'make fewer or faster calls (Promise.all or asyncio.gather runs them together)' },
  memoryBytes: { code: 'SANDBOX_MEMORY', configKey: 'cemcp.limits.memoryBytes', doWithLess: 'hold less data at once' },
  stackBytes: { code: 'SANDBOX_STACK', configKey: 'cemcp.limits.stackBytes', doWithLess: 'recurse less deeply' },
  maxResultBytes: { code: 'LIMIT_OUTPUT', configKey: 'cemcp.limits.maxResultBytes', doWithLess: 'return less (aggregate in code)' },
  maxLogBytes: { code: 'LIMIT_OUTPUT', configKey: 'cemcp.limits.maxLogBytes', doWithLess: 'log less' },
  maxToolCalls: { code: 'LIMIT_TOOL_CALLS', configKey: 'cemcp.limits.maxToolCalls', doWithLess: 'make fewer calls in one run (split the work across runs)' },
  maxToolResultBytes: { code: 'LIMIT_RESULT_SIZE', configKey: 'cemcp.limits.maxToolResultBytes', doWithLess: 'ask for less (filters, pagination)' },
  maxArgumentBytes: { code: 'LIMIT_ARGUMENT_SIZE', configKey: 'cemcp.limits.maxArgumentBytes', doWithLess: 'send less in one call' },
  toolCallTimeoutMs: { code: 'UPSTREAM_TIMEOUT', configKey: 'cemcp.limits.toolCallTimeoutMs', doWithLess: 'ask the tool for less' },
  surfaceTokens: { code: 'CUT', configKey: 'cemcp.surface.maxTokens', doWithLess: 'return less, or aggregate in code' },
} as const satisfies Record<string, LimitEntry>;

export type LimitName = keyof typeof LIMITS;

/** `compute less in one run, or raise cemcp.limits.cpuMs` */
export function limitAdvice(limit: LimitName): string {
  const entry: LimitEntry = LIMITS[limit];
  return `${entry.doWithLess}, or raise ${entry.configKey}`;
}

/** The advice for an engine failure that names the limit it hit; undefined for any other failure. */
export function failureAdvice(failure: Pick<RunFailure, 'limit'>): string | undefined {
  const limit: keyof Limits | undefined = failure.limit;
  return limit === undefined ? undefined : limitAdvice(limit);
}

/** The bridge's refusal once a run has made its `max` calls (the run ends with it). */
export function toolCallLimitMessage(max: number): string {
  return `tool call limit reached: at most ${max} calls per run; ${limitAdvice('maxToolCalls')}`;
}

/** The ToolError message for one tool result over the size a program may receive. */
export function toolResultLimitMessage(callName: string, maxBytes: number): string {
  return `${callName}: the result is over the limit of ${maxBytes} bytes; ${limitAdvice('maxToolResultBytes')}`;
}

/** The line that ends the console output once the log limit dropped the rest. */
export function logCutNotice(): string {
  return `…[cut by cemcp: console output over the log limit was dropped; ${limitAdvice('maxLogBytes')}]`;
}

/** The marker after a part of the answer cut to the token budget. */
export function surfaceCutNotice(what: string, totalTokens: number, shownTokens: number): string {
  const total = totalTokens.toLocaleString('en-US');
  const shown = shownTokens.toLocaleString('en-US');
  return `…[cut by cemcp: ${what} is ~${total} tokens, showing the first ${shown}. Return less, or aggregate in code; or raise ${LIMITS.surfaceTokens.configKey}.]`;
}

/** Why a cut result has a handle, or why it has none. */
export type ResultKeep =
  | { readonly handle: string; readonly paging: string }
  | { readonly missing: string };

/**
 * The marker after a result cut to the token budget: it is cemcp's budget, not the API's limit;
 * with a handle, the exact code that reads the rest; without one, why there is none.
 */
export function resultCutNotice(totalTokens: number, budgetTokens: number, keep: ResultKeep): string {
  const total = totalTokens.toLocaleString('en-US');
  const head = `…[cut by cemcp: the result is ~${total} tokens, over cemcp's answer budget of ${budgetTokens.toLocaleString('en-US')} (${LIMITS.surfaceTokens.configKey}), so this is a preview; not a limit of the API or the tool.`;
  if ('handle' in keep) return `${head} The whole value is kept in this session as handle "${keep.handle}"; read the rest in a program: ${keep.paging}]`;
  return `${head} No handle was kept: ${keep.missing}. Return less, or aggregate in code; or raise ${LIMITS.surfaceTokens.configKey}.]`;
}

// The guest refuses oversized arguments itself, as a RangeError (sandbox/guest-prelude.ts):
// `crm.find: arguments are too large (over 1048576 bytes of JSON)`.
const ARGUMENTS_TOO_LARGE = /: arguments are too large \(over \d+ bytes of JSON\)$/;

/** For an uncaught guest error that is a limit of ours in disguise: its code and advice. */
export function guestErrorLimit(name: string | undefined, message: string): { readonly code: string; readonly advice: string } | undefined {
  if (name === 'RangeError' && ARGUMENTS_TOO_LARGE.test(message)) return { code: LIMITS.maxArgumentBytes.code, advice: limitAdvice('maxArgumentBytes') };
  return undefined;
}
