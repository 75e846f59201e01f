// A program as the checker sees it: wrapped exactly as transpile.ts wraps it for the engine (the
// user's first line shares the wrapper's line, so every other line keeps its number), and the map of
// a position in that text back to the user's line and column. Pure; imported by type-check.ts.
import { BODY_PREFIX, CALL_PREFIX, type ProgramForm } from '../transpile.js';

export interface CheckedSource {
  /** The text the checker compiles. */
  readonly text: string;
  /** Lines of the user's program. */
  readonly lines: readonly string[];
  /** A 0-based line and character of `text` as the user's 1-based line and column (clamped into the program). */
  toUser(line: number, character: number): { line: number; column: number };
}

export function wrapForCheck(source: string, form: ProgramForm): CheckedSource {
  const prefix = form === 'call' ? CALL_PREFIX : BODY_PREFIX;
  const text = form === 'call' ? `${prefix}${source.replace(/\s*;?\s*$/, '')})();\n})` : `${prefix}${source}\n})`;
  const lines = source.split('\n');
  return {
    text,
    lines,
    toUser(line, character) {
      // Past the user's last line is the wrapper's closing: blame the end of the program.
      if (line >= lines.length) {
        const last = lines.length;
        return { line: last, column: Math.max(1, (lines[last - 1] ?? '').length) };
      }
      const column = line === 0 ? Math.max(1, character + 1 - prefix.length) : character + 1;
      return { line: line + 1, column };
    },
  };
}
