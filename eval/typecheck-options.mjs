// `node eval/typecheck-options.mjs` (after `npm run build`): how the type-checker's compiler options
// and blocking rules were chosen, measured on the TUNE split's valid programs only (never the
// held-out half). For each option set it prints the share of valid programs with at least one
// TypeScript report (what a plain compile would reject) and the share the blocking rules would
// stop (must be 0). The catalogs are the real ones: the three npm servers as the gateway lists them,
// and the catalog servers the programs name.
import ts from 'typescript';
import { loadCorpus, startEvalGateway } from './typecheck-eval.mjs';
import { renderCheckerDeclarations, SANDBOX_GLOBALS } from '../dist/runtime/typecheck/checker-declarations.js';
import { CHECKER_OPTIONS } from '../dist/runtime/typecheck/ts-service.js';
import { createTypeChecker } from '../dist/runtime/typecheck/type-check.js';
import { transpileProgram } from '../dist/runtime/transpile.js';
import { hostDeclarations } from '../dist/runtime/typecheck/run-check.js';

const OPTION_SETS = {
  'strict (tsc --strict, checkJs)': { ...CHECKER_OPTIONS, strict: true, noImplicitAny: true, strictNullChecks: true, useUnknownInCatchVariables: true },
  'strict, no implicit-any reports': { ...CHECKER_OPTIONS, strict: true, noImplicitAny: false, strictNullChecks: true, useUnknownInCatchVariables: true },
  'strictNullChecks only': { ...CHECKER_OPTIONS, strictNullChecks: true },
  'chosen (CHECKER_OPTIONS)': CHECKER_OPTIONS,
};

const programs = loadCorpus().filter((p) => p.split === 'tune' && p.meta.kind === 'valid');
const rows = Object.fromEntries(Object.keys(OPTION_SETS).map((name) => [name, { reported: 0, blocked: 0, codes: new Map() }]));
for (const target of ['real', 'catalog']) {
  const mine = programs.filter((p) => p.target === target);
  if (mine.length === 0) continue;
  const gateway = await startEvalGateway(target, { servers: [...new Set(mine.flatMap((p) => p.meta.servers))] });
  try {
    const catalog = gateway.service.catalog;
    const declarations = renderCheckerDeclarations(catalog.operations) + SANDBOX_GLOBALS;
    // The host namespaces exactly as this gateway wired them (state, handles, skills).
    const host = hostDeclarations(gateway.service.options?.runtime?.namespaces ?? []);
    for (const [name, options] of Object.entries(OPTION_SETS)) {
      const checker = createTypeChecker(declarations, options);
      for (const program of mine) {
        const transpiled = await transpileProgram(program.code);
        const report = checker.check({ source: program.code, form: transpiled.form, language: transpiled.language, hostDeclarations: host });
        const row = rows[name];
        if (report.codes.length > 0) row.reported++;
        if (report.issues.length > 0) row.blocked++;
        for (const code of report.codes) row.codes.set(code, (row.codes.get(code) ?? 0) + 1);
      }
      checker.dispose();
    }
  } finally {
    await gateway.close();
  }
}

console.log(`${programs.length} valid programs of the tune split (TypeScript ${ts.version})\n`);
console.log('| options | with any report | blocked by the rules | most frequent reports |');
console.log('|---|--:|--:|---|');
for (const [name, row] of Object.entries(rows)) {
  const top = [...row.codes].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([code, n]) => `TS${code} x${n}`).join(', ');
  const pct = (n) => `${n}/${programs.length} (${((100 * n) / programs.length).toFixed(0)}%)`;
  console.log(`| ${name} | ${pct(row.reported)} | ${pct(row.blocked)} | ${top || '-'} |`);
}
