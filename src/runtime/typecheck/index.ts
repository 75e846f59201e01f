// The type-check-before-run step: a warm TypeScript checker in a worker thread, checking a program
// against the catalog's and host namespaces' declarations. Imported through runtime/index.ts.
export { createProgramChecker, DEFAULT_CHECK_TIMEOUT_MS, DEFAULT_WARMUP_TIMEOUT_MS } from './checker-client.js';
export type { CheckOutcome, ProgramChecker, ProgramCheckerOptions } from './checker-client.js';
export { checkBeforeRun } from './run-check.js';
export type { RunCheck, TypeCheckMode, TypeCheckOptions } from './run-check.js';
export type { CheckInput, CheckReport, TypeIssue } from './type-check.js';
