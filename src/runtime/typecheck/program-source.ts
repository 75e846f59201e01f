// A program as the checker sees it: the body of an async function, or a called async function
// expression, as transpile.ts runs it, with the wrapper on lines of its own (a JSDoc or
// `// @ts-ignore` on the user's first line then attaches as written), and the map of a position in
// that text back to the user's line and column. Pure; imported by type-check.ts.
import type { ProgramForm } from '../transpile.js';

export interface CheckedSource {
  /** The text the checker compiles. */
  readonly text: string;
  /** A 0-based line and character of `text` as the user's 1-based line and column (clamped into the program). */
  toUser(line: number, character: number): { line: number; column: number };
}

const BODY = ['(async () => {\n', '\n})'] as const;
const CALL = ['(async () => { return await (\n', '\n)(); })'] as const;

export function wrapForCheck(source: string, form: ProgramForm): CheckedSource {
  const [open, close] = form === 'call' ? CALL : BODY;
  const program = form === 'call' ? source.replace(/\s*;?\s*$/, '') : source;
  const lines = source.split('\n');
  return {
    text: `${open}${program}${close}`,
    toUser(line, character) {
      // The wrapper's own lines: blame the nearest end of the program.
      if (line < 1) return { line: 1, column: 1 };
      if (line > lines.length) return { line: lines.length, column: Math.max(1, (lines[lines.length - 1] ?? '').length) };
      return { line, column: character + 1 };
    },
  };
}
