// Entry point of the type-checker worker thread (loaded as dist/runtime/typecheck/check-worker.js):
// one warm checker, given the declarations of the catalog version each check names (each
// namespace's block rendered once per key), answering checks one at a time off the gateway's event
// loop. Talks to the host only through check-protocol.ts messages; never throws at the host.
import { parentPort } from 'node:worker_threads';
import type { Operation } from '../../catalog/index.js';
import { renderCheckerDeclarations, SANDBOX_GLOBALS } from './checker-declarations.js';
import { HeldCatalogs, type CheckerToHost, type HostToChecker } from './check-protocol.js';
import { createTypeChecker } from './type-check.js';

const post = (message: CheckerToHost): void => parentPort?.postMessage(message);
const checker = createTypeChecker(SANDBOX_GLOBALS);
const held = new HeldCatalogs();
/** By key: the operations until rendered (on first use, so a catalog replaced at once costs nothing), then the text. */
const blocks = new Map<string, { operations?: readonly Operation[]; text?: string }>();
const declarations = new Map<number, string>();

function useVersion(version: number): void {
  const keys = held.keysOf(version);
  if (!keys) throw new Error(`catalog version ${version} is not in the checker`);
  let text = declarations.get(version);
  if (text === undefined) {
    const parts = keys.map((key) => {
      const block = blocks.get(key);
      if (!block) throw new Error(`the declarations of ${key} are not in the checker`);
      block.text ??= renderCheckerDeclarations(block.operations ?? []);
      delete block.operations;
      return block.text;
    });
    text = parts.join('') + SANDBOX_GLOBALS;
    declarations.set(version, text);
  }
  checker.setApiDeclarations(text);
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

function receiveCatalog(version: number, incoming: Extract<HostToChecker, { kind: 'catalog' }>['blocks']): void {
  for (const block of incoming) if (block.operations && !blocks.has(block.key)) blocks.set(block.key, { operations: block.operations });
  for (const gone of held.add(version, incoming.map((b) => b.key))) blocks.delete(gone);
  for (const v of declarations.keys()) if (!held.has(v)) declarations.delete(v);
  // Warm it once the queue is quiet: a check already waiting warms it anyway.
  clearTimeout(warmTimer);
  warmTimer = setTimeout(() => {
    try {
      if (held.has(version)) warm(version);
    } catch (error) {
      post({ kind: 'failed', message: `warming the checker failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }, 0);
}

parentPort?.on('message', (message: HostToChecker) => {
  try {
    if (message.kind === 'catalog') {
      receiveCatalog(message.version, message.blocks);
      return;
    }
    const started = performance.now();
    useVersion(message.version);
    const report = checker.check(message.input);
    post({ kind: 'checked', id: message.id, version: message.version, report, ms: performance.now() - started });
  } catch (error) {
    post({ kind: 'failed', ...(message.kind === 'check' ? { id: message.id } : {}), message: error instanceof Error ? error.message : String(error) });
  }
});
