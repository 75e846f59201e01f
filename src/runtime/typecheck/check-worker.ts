// Entry point of the type-checker worker thread (loaded as dist/runtime/typecheck/check-worker.js):
// keeps a warm checker per catalog version and answers checks one at a time, off the gateway's
// event loop. Talks to the host only through check-protocol.ts messages; never throws at the host.
import { parentPort } from 'node:worker_threads';
import type { Operation } from '../../catalog/index.js';
import { renderCheckerDeclarations, SANDBOX_GLOBALS } from './checker-declarations.js';
import { CATALOGS_KEPT, type CheckerToHost, type HostToChecker } from './check-protocol.js';
import { createTypeChecker, type TypeChecker } from './type-check.js';

const post = (message: CheckerToHost): void => parentPort?.postMessage(message);
/** By version, oldest first; built on first use so a catalog replaced at once costs nothing. */
const checkers = new Map<number, { operations: readonly Operation[]; checker?: TypeChecker }>();

function checkerOf(version: number): TypeChecker {
  const entry = checkers.get(version);
  if (!entry) throw new Error(`catalog version ${version} is not in the checker`);
  entry.checker ??= createTypeChecker(renderCheckerDeclarations(entry.operations) + SANDBOX_GLOBALS);
  return entry.checker;
}

/** Parses and binds the declarations and the library once, with a program that names nothing. */
function warm(version: number): void {
  const started = performance.now();
  checkerOf(version).check({ source: 'return 0;', form: 'body', language: 'javascript', hostDeclarations: '' });
  post({ kind: 'warm', version, ms: performance.now() - started });
}

let warmTimer: NodeJS.Timeout | undefined;

// The library files are parsed once per process (a shared registry): do it before any catalog arrives.
setImmediate(() => {
  try {
    const bare = createTypeChecker(SANDBOX_GLOBALS);
    bare.check({ source: 'return 0;', form: 'body', language: 'javascript', hostDeclarations: '' });
    bare.dispose();
  } catch {
    // A real check reports what is wrong.
  }
});

parentPort?.on('message', (message: HostToChecker) => {
  try {
    if (message.kind === 'catalog') {
      checkers.set(message.version, { operations: message.operations });
      for (const [version, entry] of checkers) {
        if (checkers.size <= CATALOGS_KEPT) break;
        entry.checker?.dispose();
        checkers.delete(version);
      }
      // Warm it once the queue is quiet: a check already waiting warms it anyway.
      clearTimeout(warmTimer);
      warmTimer = setTimeout(() => {
        try {
          if (checkers.has(message.version)) warm(message.version);
        } catch (error) {
          post({ kind: 'failed', message: `warming the checker failed: ${error instanceof Error ? error.message : String(error)}` });
        }
      }, 0);
      return;
    }
    const started = performance.now();
    const report = checkerOf(message.version).check(message.input);
    post({ kind: 'checked', id: message.id, report, ms: performance.now() - started });
  } catch (error) {
    post({ kind: 'failed', ...(message.kind === 'check' ? { id: message.id } : {}), message: error instanceof Error ? error.message : String(error) });
  }
});
