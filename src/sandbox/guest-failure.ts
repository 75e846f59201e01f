// Builds RunFailure values: for each limit, and for a thrown guest value as the prelude's
// `describe` reported it (name, message, QuickJS stack). Pure. QuickJS stack lines look like
// `    at f (program.js:4:7)` or, for a compile error, `    at program.js:2:13` (1-based both).
import type { CodePosition, GuestLibrary, Limits, RunFailure } from './engine.js';
import { findLibraryFrame } from './guest-library.js';
import { stackFrames } from './stack-frames.js';

/** What the prelude's `describe` returns, parsed. */
export interface GuestErrorInfo {
  readonly name?: string;
  readonly message: string;
  readonly stack: string;
  readonly tool: boolean;
  readonly code?: string;
  readonly dataJson?: string;
}

export function parseErrorInfo(json: string): GuestErrorInfo {
  const parsed = JSON.parse(json) as unknown;
  // The guest wrote this JSON: whatever it holds, it is read as data, never trusted to be an object.
  const raw = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const name = text(raw['name']);
  const code = text(raw['code']);
  const dataJson = text(raw['dataJson']);
  return {
    ...(name !== undefined ? { name } : {}),
    message: text(raw['message']) ?? '',
    stack: text(raw['stack']) ?? '',
    tool: raw['tool'] === true,
    ...(code !== undefined ? { code } : {}),
    ...(dataJson !== undefined ? { dataJson } : {}),
  };
}

/** The innermost frame of `stack` that lies in `filename`. */
export function findPosition(stack: string, filename: string): CodePosition | undefined {
  for (const frame of stackFrames(stack)) {
    if (frame.file === filename && frame.line >= 1 && frame.column >= 1) return { line: frame.line, column: frame.column };
  }
  return undefined;
}

const isStackOverflow = (info: GuestErrorInfo): boolean =>
  info.message === 'stack overflow' && (info.name === 'InternalError' || info.name === 'SyntaxError' || info.name === 'RangeError');

const isOutOfMemory = (info: GuestErrorInfo): boolean => info.message === 'out of memory' && info.name === 'InternalError';

/** A value the program threw (or a promise it rejected with) and did not catch. */
export function thrownFailure(info: GuestErrorInfo, filename: string, limits: Limits, stackBytes = limits.stackBytes, library?: GuestLibrary): RunFailure {
  if (isOutOfMemory(info)) return memoryFailure(limits);
  const position = findPosition(info.stack, filename);
  const inLibrary = findLibraryFrame(info.stack, filename, library);
  if (isStackOverflow(info)) return { ...stackFailure(stackBytes), ...(position ? { position } : {}) };
  let data: unknown;
  if (info.tool && info.dataJson !== undefined) {
    try {
      data = JSON.parse(info.dataJson);
    } catch {
      data = undefined;
    }
  }
  return {
    code: 'GUEST_THREW',
    message: info.message,
    ...(info.name !== undefined ? { name: info.name } : {}),
    ...(position ? { position } : {}),
    ...(inLibrary ? { library: inLibrary } : {}),
    ...(data !== undefined ? { data } : {}),
    ...(info.tool && info.code !== undefined ? { toolCode: info.code } : {}),
  };
}

export const cpuFailure = (limits: Limits): RunFailure => ({
  code: 'SANDBOX_CPU',
  limit: 'cpuMs',
  message: `CPU time limit exceeded: the program computed for more than ${limits.cpuMs} ms`,
});

export const wallFailure = (limits: Limits): RunFailure => ({
  code: 'SANDBOX_TIMEOUT',
  limit: 'wallMs',
  message: `wall time limit exceeded: the run took longer than ${limits.wallMs} ms`,
});

export const deadlockFailure = (): RunFailure => ({
  code: 'SANDBOX_TIMEOUT',
  message: 'the program awaits a promise that nothing can settle (no host call is pending, and there are no timers)',
});

export const memoryFailure = (limits: Limits): RunFailure => ({
  code: 'SANDBOX_MEMORY',
  limit: 'memoryBytes',
  message: `memory limit exceeded: the program needed more than ${limits.memoryBytes} bytes`,
});

/** `stackBytes`: the stack the guest really had (the request's, within what the worker holds). */
export const stackFailure = (stackBytes: number): RunFailure => ({
  code: 'SANDBOX_STACK',
  limit: 'stackBytes',
  message: `stack limit exceeded: recursion too deep for a ${stackBytes}-byte stack`,
});

export const outputFailure = (limits: Limits, atLeastBytes: number): RunFailure => ({
  code: 'LIMIT_OUTPUT',
  limit: 'maxResultBytes',
  message: `the return value is at least ${atLeastBytes} bytes of JSON; the limit is ${limits.maxResultBytes} bytes`,
});

export const crashFailure = (message: string): RunFailure => ({ code: 'SANDBOX_CRASHED', message });
