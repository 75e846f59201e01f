// Entry point of the type-checker worker thread (loaded as dist/runtime/typecheck/check-worker.js):
// one warm checker, given the declarations of the catalog version each check names (rendered once
// per version, only the namespaces that changed), answering checks one at a time off the gateway's
// event loop. Talks to the host only through check-protocol.ts messages; never throws at the host.
import { parentPort } from 'node:worker_threads';
import type { Operation } from '../../catalog/index.js';
import { createDeclarationsRenderer, SANDBOX_GLOBALS } from './checker-declarations.js';
import { CATALOGS_KEPT, type CheckerToHost, type HostToChecker } from './check-protocol.js';
import { createTypeChecker } from './type-check.js';

const post = (message: CheckerToHost): void => parentPort?.postMessage(message);
const render = createDeclarationsRenderer();
const checker = createTypeChecker(SANDBOX_GLOBALS);
/** By version, oldest first; declarations rendered on first use, so a catalog replaced at once costs nothing. */
const catalogs = new Map<number, { operations: readonly Operation[]; declarations?: string }>();

function useVersion(version: number): void {
  const entry = catalogs.get(version);
  if (!entry) throw new Error(`catalog version ${version} is not in the checker`);
  entry.declarations ??= render(entry.operations) + SANDBOX_GLOBALS;
  checker.setApiDeclarations(entry.declarations);
}

const WARM_PROGRAM = { source: 'return [1].map((n) => n + 1);', form: 'body', language: 'javascript', hostDeclarations: '' } as const;

/** Parses and binds the declarations (and, the first time, the library) with a program that names nothing. */
function warm(version: number): void {
  const started = performance.now();
  useVersion(version);
  checker.check(WARM_PROGRAM);
  post({ kind: 'warm', version, ms: performance.now() - started });
}

// The library files are parsed once per process: do it before any catalog arrives.
setImmediate(() => {
  try {
    checker.check(WARM_PROGRAM);
  } catch {
    // A real check reports what is wrong.
  }
});

let warmTimer: NodeJS.Timeout | undefined;

parentPort?.on('message', (message: HostToChecker) => {
  try {
    if (message.kind === 'catalog') {
      catalogs.set(message.version, { operations: message.operations });
      for (const version of catalogs.keys()) {
        if (catalogs.size <= CATALOGS_KEPT) break;
        catalogs.delete(version);
      }
      // Warm it once the queue is quiet: a check already waiting warms it anyway.
      clearTimeout(warmTimer);
      warmTimer = setTimeout(() => {
        try {
          if (catalogs.has(message.version)) warm(message.version);
        } catch (error) {
          post({ kind: 'failed', message: `warming the checker failed: ${error instanceof Error ? error.message : String(error)}` });
        }
      }, 0);
      return;
    }
    const started = performance.now();
    useVersion(message.version);
    const report = checker.check(message.input);
    post({ kind: 'checked', id: message.id, report, ms: performance.now() - started });
  } catch (error) {
    post({ kind: 'failed', ...(message.kind === 'check' ? { id: message.id } : {}), message: error instanceof Error ? error.message : String(error) });
  }
});
