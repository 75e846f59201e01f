// The `at …` frames of a guest error's stack (QuickJS's format): the file, line and column of
// each, innermost first. Frames without a position (native code) are skipped.

export interface StackFrame {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export function* stackFrames(stack: string): Generator<StackFrame> {
  for (const raw of stack.split('\n')) {
    const text = raw.trim();
    if (!text.startsWith('at ')) continue;
    const match = /:(\d+):(\d+)\)?$/.exec(text);
    if (!match) continue;
    // `at name (file:1:2)` or `at file:1:2`: the file is exactly what precedes the numbers.
    const before = text.slice(0, match.index);
    const open = before.lastIndexOf(' (');
    yield { file: open >= 0 ? before.slice(open + 2) : before.slice(3), line: Number(match[1]), column: Number(match[2]) };
  }
}
