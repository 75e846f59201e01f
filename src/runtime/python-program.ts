// A Python program as the runtime sees it: its source, run as written (the sandbox compiles it as
// the body of an async function, so positions are the user's own). Pure; imported by execute.ts
// and failure-text.ts. Also the shape both languages share for error excerpts.
import type { CodePosition } from '../sandbox/index.js';
import type { TranspiledProgram } from './transpile.js';

/** What error texts need of a program: the code the engine ran and a way back to the user's lines. */
export type SourceProgram = Pick<TranspiledProgram, 'code' | 'toSourcePosition' | 'sourceLine'> & {
  /** What the program was written in (a transpiled program says javascript or typescript). */
  readonly language?: TranspiledProgram['language'] | 'python';
};

export function pythonProgram(source: string): SourceProgram {
  const lines = source.split(/\r\n|\r|\n/);
  return {
    language: 'python',
    code: source,
    toSourcePosition: (position: CodePosition) => (position.line >= 1 && position.line <= lines.length ? position : undefined),
    sourceLine: (line: number) => lines[line - 1],
  };
}
