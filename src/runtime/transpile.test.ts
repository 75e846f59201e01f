import { describe, expect, it } from 'vitest';
import { splitComments, transpileProgram } from './transpile.js';

async function syntaxErrorOf(source: string): Promise<{ code: string; message: string }> {
  try {
    await transpileProgram(source);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a syntax error');
}

describe('transpileProgram', () => {
  it('strips TypeScript types and wraps the body in an async function', async () => {
    const program = await transpileProgram('const n: number = 1;\nreturn n as number;');
    expect(program.code).toMatch(/^\(async \(\) => \{/);
    expect(program.code).not.toContain(': number');
  });

  it('calls a program that is a single async arrow function', async () => {
    const program = await transpileProgram('async () => {\n  return 1;\n}');
    expect(program.code).toMatch(/return await \(async \(\) => \{/);
  });

  it('keeps two functions as a plain body', async () => {
    const program = await transpileProgram('async () => { return 1 }\nasync () => { return 2 }');
    expect(program.code).not.toContain('return await (async');
  });

  it('reports a syntax error at the user line and column', async () => {
    const error = await syntaxErrorOf('const a = 1;\nconst b = ;');
    expect(error.code).toBe('SYNTAX_ERROR');
    expect(error.message).toMatch(/^SyntaxError at line 2, column 11: /);
    expect(error.message).toContain('2 | const b = ;');
  });

  it('reports columns on the first line without the wrapper', async () => {
    const error = await syntaxErrorOf('const = 5;');
    expect(error.message).toMatch(/line 1, column 7/);
  });

  it('blames the last line for an unclosed block, not the wrapper', async () => {
    const error = await syntaxErrorOf('if (true) {\n  return 1;');
    expect(error.message).toMatch(/line 2/);
  });

  it('maps generated positions back to the user source', async () => {
    const program = await transpileProgram('// comment\n\nconst x: string = "a";\nthrow new Error(x);');
    const line = program.code.split('\n').findIndex((l) => l.includes('throw')) + 1;
    const column = program.code.split('\n')[line - 1]!.indexOf('throw') + 1;
    expect(program.toSourcePosition({ line, column })).toEqual({ line: 4, column: 1 });
    expect(program.sourceLine(4)).toBe('throw new Error(x);');
  });

  it('runs plain JavaScript as written, positions one to one', async () => {
    const source = 'const a = 1;\n\nreturn a.b.c;';
    const program = await transpileProgram(source);
    expect(program.code).toBe(`(async () => {${source}\n})`);
    expect(program.toSourcePosition({ line: 3, column: 12 })).toEqual({ line: 3, column: 12 });
    expect(program.toSourcePosition({ line: 1, column: 15 + 6 })).toEqual({ line: 1, column: 7 });
    // A failed call or read is placed at the name before its `(`, `.` or `[`.
    expect(program.toSourcePosition({ line: 3, column: 9 })).toEqual({ line: 3, column: 8 });
    // The wrapper's own closing line is not the user's.
    expect(program.toSourcePosition({ line: 4, column: 1 })).toBeUndefined();
  });

  it('keeps a single async function called when it is plain JavaScript', async () => {
    const program = await transpileProgram('async () => {\n  return 1;\n}');
    expect(program.code).toBe('(async () => { return await (async () => {\n  return 1;\n})();\n})');
  });

  it('reports a syntax error in plain JavaScript at the user line and column', async () => {
    const error = await syntaxErrorOf('const ok = 1;\nfor (let i = 0; i < 3; i++) {\n  ok +;\n}');
    expect(error.message).toMatch(/^SyntaxError at line 3, column 7: /);
    expect(error.message).toContain('3 |   ok +;');
  });

  it('still reads TypeScript generic calls as TypeScript', async () => {
    const program = await transpileProgram('const f = <T>(x: T) => x;\nreturn f<number>(1) < 2 > (3);');
    expect(program.code).not.toContain('<number>');
  });
});

describe('a single function with comments around it', () => {
  it('is still called, with its lines where they were', async () => {
    for (const source of [
      '// counts the graph\nasync () => {\n  return 1;\n}',
      '/* a\n * b */\nasync () => {\n  return 1;\n} // done',
      'async () => {\n  return 1;\n};\n// @ts-nocheck',
    ]) {
      const program = await transpileProgram(source);
      expect(program.form, source).toBe('call');
    }
    const program = await transpileProgram('// first\n// second\nasync () => {\n  return x.y;\n}');
    expect(program.sourceLine(4)).toBe('  return x.y;');
  });

  it('splits comments in linear time, whatever the program holds', () => {
    expect(splitComments('  // a\n/* b */ async () => {} // c\n')).toEqual({ lead: '  // a\n/* b */ ', core: 'async () => {}' });
    expect(splitComments("return 'http://x'")).toEqual({ lead: '', core: "return 'http://x'" });
    const huge = `${' '.repeat(400_000)}x${' '.repeat(400_000)}`;
    expect(splitComments(huge).core).toBe('x');
  });
});
