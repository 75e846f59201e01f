// One catalog version's checker: compiles a program against the declarations and returns the
// reports that stop a run (blocking-rules.ts) at the user's own line and column. Synchronous and
// warm (a language service kept between checks); the worker holds one per catalog version, and
// tests use it directly.
import ts from 'typescript';
import type { ApiNames } from '../../catalog/index.js';
import type { ProgramForm } from '../transpile.js';
import { judge, type Finding } from './blocking-rules.js';
import { unknownAsAny } from './checker-declarations.js';
import { wrapForCheck } from './program-source.js';
import { API_FILE, HOST_FILE, createCheckerService, type CheckerService } from './ts-service.js';

export interface TypeIssue {
  /** The user's 1-based line and column. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** TypeScript's diagnostic code. */
  readonly code: number;
}

export interface CheckInput {
  readonly source: string;
  readonly form: ProgramForm;
  readonly language: 'javascript' | 'typescript';
  /** Declarations of the host namespaces of this run (fetch, state, skills, …). */
  readonly hostDeclarations: string;
}

export interface CheckReport {
  /** Reports that stop the run, in source order, one per line. */
  readonly issues: readonly TypeIssue[];
  /** Every other report TypeScript made (counted, not shown): what a plain compile would reject on. */
  readonly ignored: number;
  /** The raw reports' codes, for measuring the options (eval/typecheck). */
  readonly codes: readonly number[];
}

export interface TypeChecker {
  /** Replaces the catalog's declarations (another catalog version). */
  setApiDeclarations(text: string): void;
  check(input: CheckInput): CheckReport;
  dispose(): void;
}

const API_FILES = new Set([API_FILE, HOST_FILE]);

/** `options`: the compiler options (default CHECKER_OPTIONS; eval/typecheck-options.mjs compares others). */
export function createTypeChecker(apiDeclarations = '', options?: ts.CompilerOptions): TypeChecker {
  const service: CheckerService = createCheckerService(apiDeclarations, options);
  let api = apiDeclarations;
  let host: { given: string; text: string } | undefined;
  let globalsFor: { apiText: string; host: string; names: ReadonlySet<string>; api: ApiNames } | undefined;
  return {
    setApiDeclarations(text) {
      api = text;
      service.setApiDeclarations(text);
    },
    check(input) {
      // A host namespace's result without a declared type is data the program may read freely, as for the catalog.
      if (host?.given !== input.hostDeclarations) host = { given: input.hostDeclarations, text: unknownAsAny(input.hostDeclarations) };
      service.setHostDeclarations(host.text);
      const wrapped = wrapForCheck(input.source, input.form);
      const { diagnostics, program, sourceFile } = service.check(wrapped.text, input.language);
      if (globalsFor?.host !== input.hostDeclarations || globalsFor.apiText !== api) globalsFor = { apiText: api, host: input.hostDeclarations, ...declaredGlobals(program) };
      const ctx = { checker: program.getTypeChecker(), isApiFile: (f: string) => API_FILES.has(f), sourceFile, globals: globalsFor.names, api: globalsFor.api };
      const findings: Finding[] = [];
      for (const diagnostic of diagnostics) {
        const finding = judge(diagnostic, ctx);
        if (finding) findings.push(finding);
      }
      const seenLines = new Set<number>();
      const issues: TypeIssue[] = [];
      for (const finding of findings.sort((a, b) => a.start - b.start)) {
        const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
        const at = wrapped.toUser(line, character);
        if (seenLines.has(at.line)) continue;
        seenLines.add(at.line);
        issues.push({ ...at, message: finding.message, code: finding.code });
      }
      return { issues, ignored: diagnostics.length - findings.length, codes: diagnostics.map((d) => d.code) };
    },
    dispose: () => service.dispose(),
  };
}

/** Names the declaration files put in global scope, and each namespace's functions (or an object's members). */
function declaredGlobals(program: ts.Program): { names: ReadonlySet<string>; api: ApiNames } {
  const names = new Set<string>();
  const api: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const file of API_FILES) {
    for (const statement of program.getSourceFile(file)?.statements ?? []) {
      if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
        names.add(statement.name.text);
        const body = statement.body && ts.isModuleBlock(statement.body) ? statement.body.statements : [];
        api[statement.name.text] = body.flatMap((m) => (ts.isFunctionDeclaration(m) && m.name ? [m.name.text] : []));
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
        names.add(statement.name.text);
      } else if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) {
          if (!ts.isIdentifier(d.name)) continue;
          names.add(d.name.text);
          if (d.type && ts.isTypeLiteralNode(d.type)) {
            api[d.name.text] = d.type.members.flatMap((m) => (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? [m.name.text] : []));
          }
        }
      }
    }
  }
  return { names, api };
}
