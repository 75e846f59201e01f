// The type-check step of execute(): whether a program is checked at all (mode, a namespace named,
// no `@ts-nocheck`), the host namespaces' declarations it is checked with, and what the run makes
// of the outcome: block mode waits and refuses, warn mode lets the run go and adds warnings after.
// A check that fails inside never stops a run (the checker client logs it).
import type { Catalog } from '../../catalog/index.js';
import type { HostNamespace } from '../namespaces/index.js';
import type { TranspiledProgram } from '../transpile.js';
import type { CheckOutcome, ProgramChecker } from './checker-client.js';
import { describeRefusal, describeWarnings } from './type-error-text.js';

export type TypeCheckMode = 'off' | 'warn' | 'block';

export interface TypeCheckOptions {
  readonly mode: TypeCheckMode;
  readonly checker: ProgramChecker;
}

export interface RunCheck {
  /** Block mode: the text of the refusal; the program must not run. */
  readonly refusal?: string;
  /** Warn mode: warnings to add to the run's answer, once the check is done (or undefined). */
  warnings(): Promise<string | undefined>;
}

const NO_CHECK: RunCheck = { warnings: async () => undefined };

/** Checks `program` as the options say: awaited in block mode, started in warn mode, skipped otherwise. */
export async function checkBeforeRun(
  source: string,
  program: TranspiledProgram,
  catalog: Catalog,
  namespaces: readonly HostNamespace[],
  options: TypeCheckOptions | undefined,
): Promise<RunCheck> {
  if (!options || options.mode === 'off' || /@ts-nocheck\b/.test(source)) return NO_CHECK;
  if (!namesAny(source, [...namespacesOf(catalog), ...namespaces.map((ns) => ns.name)])) return NO_CHECK;
  const checking = options.checker.check(catalog, {
    source,
    form: program.form,
    language: program.language,
    hostDeclarations: hostDeclarations(namespaces),
  });
  const line = (n: number) => program.sourceLine(n);
  if (options.mode === 'block') {
    const outcome = await checking;
    return outcome.ok && outcome.report.issues.length > 0 ? { refusal: describeRefusal(outcome.report.issues, line), ...NO_CHECK } : NO_CHECK;
  }
  return {
    warnings: async () => {
      const outcome: CheckOutcome = await checking;
      return outcome.ok && outcome.report.issues.length > 0 ? describeWarnings(outcome.report.issues, line) : undefined;
    },
  };
}

/** Declarations of this run's host namespaces; one without a declaration of its own is `any`. */
export function hostDeclarations(namespaces: readonly HostNamespace[]): string {
  return namespaces.map((ns) => ns.declaration ?? `declare const ${ns.name}: any;`).join('\n');
}

const catalogNamespaces = new WeakMap<Catalog, readonly string[]>();

/** The catalog's namespaces, listed once per catalog (a run that names none pays nothing more). */
function namespacesOf(catalog: Catalog): readonly string[] {
  let names = catalogNamespaces.get(catalog);
  if (!names) catalogNamespaces.set(catalog, (names = [...new Set(catalog.operations.map((op) => op.namespace))]));
  return names;
}

/** Whether `source` has one of `names` as a word (a comment naming one only costs a check). */
export function namesAny(source: string, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  const wanted = new Set(names);
  for (const word of source.match(/[A-Za-z_$][\w$]*/g) ?? []) if (wanted.has(word)) return true;
  return false;
}
