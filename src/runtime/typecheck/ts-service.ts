// A warm TypeScript language service over four in-memory files (the catalog's declarations, the
// host namespaces' declarations, and the program as .ts or .js) and the ES library files. The
// library is parsed once per process (a shared document registry); a check changes only the
// program file, so the service reuses everything else. Synchronous: it runs in the checker worker.
import path from 'node:path';
import ts from 'typescript';

export const API_FILE = '/cemcp/api.d.ts';
export const HOST_FILE = '/cemcp/host.d.ts';
export const TS_PROGRAM = '/cemcp/program.ts';
export const JS_PROGRAM = '/cemcp/program.js';
const ROOTS = [API_FILE, HOST_FILE, TS_PROGRAM, JS_PROGRAM];

/**
 * Chosen by measurement on valid programs (see typecheck.test.ts and eval/typecheck): anything
 * stricter reports what runs fine (an untyped `e.code` in a catch, a parameter with no type, a
 * field read after a null check TypeScript can't follow). Which reports block a run is decided
 * apart (blocking-rules.ts); these only keep the checker from inventing types. The library is what
 * QuickJS has (ES2024 and later: Object.groupBy, Set methods, iterator helpers), no DOM.
 */
export const CHECKER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.esnext.d.ts'],
  moduleDetection: ts.ModuleDetectionKind.Legacy,
  allowJs: true,
  checkJs: true,
  noEmit: true,
  strict: false,
  noImplicitAny: false,
  strictNullChecks: false,
  useUnknownInCatchVariables: false,
  skipLibCheck: true,
  skipDefaultLibCheck: true,
  types: [],
  noResolve: true,
  allowUnreachableCode: true,
  allowUnusedLabels: true,
};

// One registry for every service, so the library files are parsed once. The registry reuses a
// document of the same name and version: versions are unique across services, so a service never
// gets another catalog's declarations or another service's program text.
const registry = ts.createDocumentRegistry();
let lastVersion = 0;
const libTexts = new Map<string, ts.IScriptSnapshot | undefined>();

function libSnapshot(file: string): ts.IScriptSnapshot | undefined {
  if (!libTexts.has(file)) {
    const text = ts.sys.readFile(file);
    libTexts.set(file, text === undefined ? undefined : ts.ScriptSnapshot.fromString(text));
  }
  return libTexts.get(file);
}

export interface CheckerService {
  /** Sets the catalog's declarations (cheap when unchanged; else that file alone is parsed again). */
  setApiDeclarations(text: string): void;
  /** Sets the host namespaces' declarations (cheap when unchanged). */
  setHostDeclarations(text: string): void;
  /** Type-checks `text` as the program (TypeScript or JavaScript) and returns the service's view of it. */
  check(text: string, language: 'typescript' | 'javascript'): CheckedProgram;
  dispose(): void;
}

export interface CheckedProgram {
  readonly diagnostics: readonly ts.Diagnostic[];
  readonly program: ts.Program;
  readonly sourceFile: ts.SourceFile;
}

/** A service over the declarations of a catalog (replaceable: setApiDeclarations). */
export function createCheckerService(apiDeclarations: string, options: ts.CompilerOptions = CHECKER_OPTIONS): CheckerService {
  const texts = new Map<string, string>([[API_FILE, apiDeclarations], [HOST_FILE, ''], [TS_PROGRAM, ''], [JS_PROGRAM, '']]);
  const versions = new Map<string, number>(ROOTS.map((f) => [f, ++lastVersion]));
  const libDir = path.dirname(ts.getDefaultLibFilePath(options));
  const set = (file: string, text: string) => {
    if (texts.get(file) === text) return;
    texts.set(file, text);
    versions.set(file, ++lastVersion);
  };
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => ROOTS,
    getScriptVersion: (file) => String(versions.get(file) ?? 0),
    getScriptSnapshot: (file) => {
      const text = texts.get(file);
      return text === undefined ? libSnapshot(file) : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => '/cemcp',
    useCaseSensitiveFileNames: () => true,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (file) => texts.has(file) || (file.startsWith(libDir) && libSnapshot(file) !== undefined),
    readFile: (file) => texts.get(file) ?? (file.startsWith(libDir) ? ts.sys.readFile(file) : undefined),
  };
  const service = ts.createLanguageService(host, registry);
  return {
    setApiDeclarations: (text) => set(API_FILE, text),
    setHostDeclarations: (text) => set(HOST_FILE, text),
    check(text, language) {
      const [active, idle] = language === 'typescript' ? [TS_PROGRAM, JS_PROGRAM] : [JS_PROGRAM, TS_PROGRAM];
      set(idle, '');
      set(active, text);
      const diagnostics = service.getSemanticDiagnostics(active);
      const program = service.getProgram();
      const sourceFile = program?.getSourceFile(active);
      if (!program || !sourceFile) throw new Error('the checker lost its program');
      return { diagnostics, program, sourceFile };
    },
    dispose: () => service.dispose(),
  };
}
