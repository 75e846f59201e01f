// Strict tsc diagnostics of a .d.ts, written to a fresh folder under `dir`: what `cemcp types`
// output must pass. Shared by the declaration golden tests and the large-catalog footprint test.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export function typecheckDeclarations(source: string, dir: string): string[] {
  const file = join(mkdtempSync(join(dir, 'tsc-')), 'catalog.d.ts');
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true, noUncheckedIndexedAccess: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2023.d.ts'], types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
