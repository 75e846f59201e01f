// The text and error code of a failed run, as the model and the client see them: the program's
// own error with the user's line and column; an unknown operation or namespace with what was
// probably meant (unknown-call.ts); a limit with its value and the config key that raises it
// (limit-messages.ts); never a host stack. Pure; imported by execute.ts.
import type { ApiNames } from '../catalog/index.js';
import type { RunFailure } from '../sandbox/index.js';
import type { RunLibrary } from './namespaces/index.js';
import { failureAdvice, guestErrorLimit } from './limit-messages.js';
import type { SourceProgram } from './python-program.js';
import { explainUnknownCall } from './unknown-call.js';
import { explainUnknownPythonName } from './unknown-python-name.js';

export interface FailureText {
  readonly text: string;
  /** GUEST_THREW, or what it was: OPERATION_UNKNOWN, the uncaught ToolError's code, a limit's code. */
  readonly code: string;
}

// A ToolError's code is the program's to set (`new ToolError(m, code)`): only a code-shaped one is passed on.
const CODE_SHAPE = /^[A-Z][A-Z0-9_]{0,63}$/;

export interface FailureContext {
  /** The namespaces a program may call (upstreams; no internal ones): what suggestions come from. */
  readonly api: ApiNames;
  /** Whether the sandbox had `fetch` (an egress allowlist is configured). */
  readonly hasFetch: boolean;
  /** The run's library namespace (saved skills): places a failure inside one in its own source. */
  readonly library?: Pick<RunLibrary, 'locate' | 'library'>;
}

export function describeRunFailure(failure: RunFailure, program: SourceProgram, context: FailureContext): FailureText {
  const { api } = context;
  if (failure.code === 'GUEST_THREW') {
    const at = `${inLibrary(failure, context)}${where(failure, program)}`;
    const label = failure.toolCode ? `ToolError [${failure.toolCode}]` : failure.name ?? 'Error';
    const unknown = program.language === 'python' ? explainUnknownPythonName(failure, program, api) : explainUnknownCall(failure, program.code, api);
    if (unknown) return { text: `Uncaught ${label}: ${unknown.message}${at}`, code: unknown.code };
    const limit = guestErrorLimit(failure.name, failure.message);
    if (limit) return { text: `Uncaught ${label}: ${failure.message}; ${limit.advice}${at}`, code: limit.code };
    const code = failure.toolCode !== undefined && CODE_SHAPE.test(failure.toolCode) ? failure.toolCode : 'GUEST_THREW';
    return { text: `Uncaught ${label}: ${failure.message}${context.hasFetch ? '' : fetchNote(failure)}${at}`, code };
  }
  if (failure.code === 'SYNTAX_ERROR') return { text: syntaxText(failure, program), code: failure.code };
  const stopped = failure.code.startsWith('SANDBOX_') || failure.code.startsWith('LIMIT_') ? '; the run was stopped.' : '';
  const advice = failureAdvice(failure);
  const next = advice ? ` ${advice.charAt(0).toUpperCase()}${advice.slice(1)}.` : '';
  return { text: `Error [${failure.code}]: ${failure.message}${stopped}${next}${failure.code === 'SANDBOX_STACK' ? where(failure, program) : ''}`, code: failure.code };
}

/** The user's line, column and source excerpt of the failure, when the engine knows it. */
function where(failure: RunFailure, program: SourceProgram): string {
  const position = failure.position && program.toSourcePosition(failure.position);
  if (!position) return '';
  const line = program.sourceLine(position.line)?.trim() ?? '';
  return `\n  at line ${position.line}, column ${position.column}: ${line.length > 160 ? `${line.slice(0, 160)}…` : line}`;
}

/** A syntax error the engine found (Python compiles in the sandbox): `SyntaxError at line 3, column 5: ...` and the line. */
function syntaxText(failure: RunFailure, program: SourceProgram): string {
  const name = failure.name ?? 'SyntaxError';
  const position = failure.position && program.toSourcePosition(failure.position);
  if (!position) return `${name}: ${failure.message}`;
  const line = program.sourceLine(position.line) ?? '';
  return `${name} at line ${position.line}, column ${position.column}: ${failure.message}\n  ${position.line} | ${line.length > 160 ? `${line.slice(0, 160)}…` : line}`;
}

/** The library function (saved skill) the failure happened in, with its own line, column and source excerpt. */
function inLibrary(failure: RunFailure, context: FailureContext): string {
  const frame = failure.library;
  const library = context.library;
  if (!frame || !library) return '';
  const at = library.locate(frame.name, frame.position);
  const call = `${library.library.namespace}.${frame.name}`;
  if (!at) return `\n  in ${call}`;
  const line = at.source.trim();
  return `\n  in ${call} at its line ${at.line}, column ${at.column}: ${line.length > 160 ? `${line.slice(0, 160)}…` : line}`;
}

/** `fetch` is undefined unless the config allows origins: say so rather than leave a bare ReferenceError. */
function fetchNote(failure: RunFailure): string {
  const undefinedFetch = failure.name === 'ReferenceError' && /^'?fetch'? is not defined$/.test(failure.message);
  return undefinedFetch ? '; the sandbox has fetch only when cemcp.fetch.allow lists the origins it may reach' : '';
}
