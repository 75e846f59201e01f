import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { HANDLES_DECLARATION } from './handles-namespace.js';
import { STATE_DECLARATION } from './state-namespace.js';

/** Diagnostics of `body` (a program: the body of an async function) against the two declarations, under strict. */
function check(body: string): string[] {
  const files: Record<string, string> = {
    'globals.d.ts': `${STATE_DECLARATION}\n${HANDLES_DECLARATION}`,
    'program.ts': `export {};\nasync function program() {\n${body}\n}\nvoid program;`,
  };
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => (name in files ? ts.createSourceFile(name, files[name]!, version) : read(name, version));
  const program = ts.createProgram(Object.keys(files), options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('the declarations of state and handles', () => {
  it('check the programs the docs show', () => {
    expect(check(`const cursor = (await state.get("cursor")) ?? null;
      await state.set("cursor", { page: 2, seen: ["a"] });
      const removed: boolean = await state.delete("cursor");
      const keys: string[] = await state.keys();
      const all = await handles.get("h_Qx7rV2mN9pL4tK8sW1aZ");
      return [cursor, removed, keys, all.rows.slice(10, 20)];`)).toEqual([]);
  });

  it('reject a misspelled method and a wrong argument type', () => {
    expect(check('await state.remove("k");').join('\n')).toMatch(/Property 'remove' does not exist/);
    expect(check('await state.get(1);').join('\n')).toMatch(/not assignable to parameter of type 'string'/);
    expect(check('await handles.get();').join('\n')).toMatch(/Expected 1 arguments/);
  });
});
