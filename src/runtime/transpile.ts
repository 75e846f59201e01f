// Turns a program (TypeScript or JavaScript; a function body with top-level await/return, or one
// async function expression) into the async function expression the engine runs, with a source
// map back to the user's lines. Syntax errors come back with the user's line:column. Plain
// JavaScript runs as written (positions map one to one); anything else goes through esbuild.
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
// esbuild's API loads on the first program that needs it (TypeScript, or a syntax error to report).
import type { TransformFailure } from 'esbuild';
import { ExecutionError } from '../common/index.js';
import type { CodePosition } from '../sandbox/index.js';
import { isPlainJavaScript } from './plain-js.js';

export const PROGRAM_FILE = 'program.ts';

export interface TranspiledProgram {
  /** Source of an async function expression, for `RunRequest.code`. */
  readonly code: string;
  /** Maps a position in `code` to the user's own line:column, when it falls in their code. */
  toSourcePosition(position: CodePosition): CodePosition | undefined;
  /** The user's source line (1-based), for error excerpts. */
  sourceLine(line: number): string | undefined;
  /** How the program was wrapped: a function body, or one async function expression that is called. */
  readonly form: ProgramForm;
  /** Plain JavaScript (run as written) or TypeScript (types stripped by esbuild). */
  readonly language: 'javascript' | 'typescript';
}

export type ProgramForm = 'body' | 'call';

// The user's first line shares the wrapper's line, so later lines keep their numbers.
const BODY_PREFIX = '(async () => {';
const CALL_PREFIX = '(async () => { return await (';
const SINGLE_FUNCTION = /^(?:async\s+(?:function\b[^(]*\([^)]*\)|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>))\s*\{[\s\S]*\}\s*;?$/;

export interface TranspileOptions {
  /**
   * The one parameter of the function the program becomes (a saved skill's `args`): in scope in
   * a body, passed on to a single function expression. Absent: the function takes none.
   */
  readonly parameter?: string;
}

export async function transpileProgram(source: string, options: TranspileOptions = {}): Promise<TranspiledProgram> {
  const parameter = options.parameter ?? '';
  const bodyPrefix = BODY_PREFIX.replace('()', `(${parameter})`);
  const callPrefix = CALL_PREFIX.replace('()', `(${parameter})`);
  const trimmed = source.trim();
  if (SINGLE_FUNCTION.test(trimmed)) {
    // `async () => {...}` is called; if the guess is wrong (two functions, say) it is a body after all.
    const called = await tryTranspile(source, callPrefix, `${callPrefix}${source.replace(/\s*;?\s*$/, '')})(${parameter});\n})`);
    if (called.ok) return called.program;
  }
  const body = await tryTranspile(source, bodyPrefix, `${bodyPrefix}${source}\n})`);
  if (body.ok) return body.program;
  throw body.error;
}

type Attempt = { ok: true; program: TranspiledProgram } | { ok: false; error: ExecutionError };

/** `wrapped` is `prefix` + the program + a closing; `prefix` holds no newline. */
async function tryTranspile(source: string, prefix: string, wrapped: string): Promise<Attempt> {
  const lines = source.split('\n');
  const form: ProgramForm = prefix === CALL_PREFIX ? 'call' : 'body';
  const shift = (p: CodePosition): CodePosition => (p.line === 1 ? { line: 1, column: Math.max(1, p.column - prefix.length) } : p);
  if (isPlainJavaScript(wrapped)) {
    // The wrapper adds text before the first line and a last line of its own: nothing else moves.
    return {
      ok: true,
      program: {
        code: wrapped,
        toSourcePosition: (position) => (position.line > lines.length ? undefined : atName(shift(position), lines)),
        sourceLine: (line) => lines[line - 1],
        form,
        language: 'javascript',
      },
    };
  }
  try {
    const { transform } = await import('esbuild');
    const result = await transform(wrapped, {
      loader: 'ts',
      sourcefile: PROGRAM_FILE,
      sourcemap: 'external',
      target: 'es2022',
      logLevel: 'silent',
    });
    const map = new TraceMap(result.map);
    return {
      ok: true,
      program: {
        code: result.code.trim().replace(/;$/, ''),
        toSourcePosition(position) {
          const found = originalPositionFor(map, { line: position.line, column: Math.max(0, position.column - 1) });
          if (found.line === null || found.line > lines.length) return undefined;
          return shift({ line: found.line, column: found.column + 1 });
        },
        sourceLine: (line) => lines[line - 1],
        form,
        language: 'typescript',
      },
    };
  } catch (error) {
    return { ok: false, error: syntaxError(error as TransformFailure, prefix, lines) };
  }
}

function syntaxError(failure: TransformFailure, prefix: string, lines: readonly string[]): ExecutionError {
  const first = failure.errors?.[0];
  const location = first?.location;
  if (!first || !location) return new ExecutionError('SYNTAX_ERROR', `SyntaxError: ${failure.message}`);
  // An error past the user's last line is the wrapper's closing brace: blame the end of the program.
  const line = Math.min(location.line, lines.length);
  const column = location.line === 1 ? Math.max(1, location.column + 1 - prefix.length) : location.column + 1;
  const excerpt = lines[line - 1] ?? '';
  return new ExecutionError('SYNTAX_ERROR', `SyntaxError at line ${line}, column ${column}: ${first.text}\n  ${line} | ${excerpt}`, { line, column });
}

/**
 * QuickJS places a failed call or property read at its `(`, `.` or `[`; the name before it is
 * where the user looks (`crm.find_contcat(` -> `find_contcat`), and where esbuild's map pointed.
 */
function atName(position: CodePosition, lines: readonly string[]): CodePosition {
  const text = lines[position.line - 1] ?? '';
  let i = position.column - 1;
  if (!'(.[`'.includes(text[i] ?? ' ')) return position;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  const end = i;
  while (i > 0 && /[\w$]/.test(text[i - 1]!)) i--;
  return i < end ? { line: position.line, column: i + 1 } : position;
}
