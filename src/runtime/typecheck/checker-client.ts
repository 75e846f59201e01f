// The gateway's side of the type-checker: one worker thread (started on first use, or by prepare),
// the catalog versions it holds, and the deadline of each check. Never in a run's way: a check that
// fails inside (the worker died, ran past its deadline, could not take the catalog) answers
// `ok: false` and is logged, and the caller runs the program unchecked.
import { Worker } from 'node:worker_threads';
import { describeError, silentLogger, type Logger } from '../../common/index.js';
import type { Catalog } from '../../catalog/index.js';
import { CATALOGS_KEPT, type CheckerToHost, type HostToChecker } from './check-protocol.js';
import type { CheckInput, CheckReport } from './type-check.js';

export interface ProgramCheckerOptions {
  readonly logger?: Logger;
  /** A check of a warm checker taking longer is abandoned (the run goes on unchecked) and the worker restarted. */
  readonly timeoutMs?: number;
  /** How long a check may wait while the checker starts or warms to a new catalog version. */
  readonly warmupTimeoutMs?: number;
  /** The worker's entry (compiled JavaScript); default: check-worker.js beside this module, under dist/. */
  readonly entry?: URL;
}

export type CheckOutcome =
  | { readonly ok: true; readonly report: CheckReport; readonly ms: number }
  | { readonly ok: false; readonly reason: string };

export interface ProgramChecker {
  /** Starts the worker and, shortly after the last call, hands it `catalog`, so the first check finds it warm. */
  prepare(catalog: Catalog): void;
  check(catalog: Catalog, input: CheckInput): Promise<CheckOutcome>;
  close(): Promise<void>;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;
export const DEFAULT_WARMUP_TIMEOUT_MS = 20_000;
/** Catalogs replaced within this long (upstreams joining one by one) are not sent to the worker. */
const PREPARE_DEBOUNCE_MS = 250;
/** Reports kept for programs sent again unchanged (a retried or scheduled program), per checker. */
const CACHED_REPORTS = 256;

interface Pending {
  readonly version: number;
  readonly settle: (outcome: CheckOutcome) => void;
  readonly timer: NodeJS.Timeout;
}

export function createProgramChecker(options: ProgramCheckerOptions = {}): ProgramChecker {
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const warmupMs = options.warmupTimeoutMs ?? DEFAULT_WARMUP_TIMEOUT_MS;
  const entry = options.entry ?? resolveCheckerEntry(import.meta.url);
  const versions = new WeakMap<Catalog, number>();
  let nextVersion = 1;
  let nextId = 1;
  let worker: Worker | undefined;
  // What the current worker holds (same eviction rule as the worker) and which of it is warm.
  let sent: number[] = [];
  let warm = new Set<number>();
  const pending = new Map<number, Pending>();
  let prepareTimer: NodeJS.Timeout | undefined;
  let closed = false;
  // By catalog version, host declarations and program; oldest first.
  const reports = new Map<string, CheckReport>();
  const remember = (key: string, report: CheckReport) => {
    reports.set(key, report);
    if (reports.size > CACHED_REPORTS) reports.delete(reports.keys().next().value ?? '');
  };

  const versionOf = (catalog: Catalog) => {
    let v = versions.get(catalog);
    if (v === undefined) versions.set(catalog, (v = nextVersion++));
    return v;
  };

  const settleAll = (reason: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.settle({ ok: false, reason });
    }
  };

  const stop = (reason: string) => {
    const w = worker;
    worker = undefined;
    sent = [];
    warm = new Set();
    settleAll(reason);
    if (w) void w.terminate().catch(() => undefined);
  };

  const onMessage = (message: CheckerToHost) => {
    if (message.kind === 'warm') {
      warm.add(message.version);
      logger.log('debug', `type-checker: catalog version ${message.version} warm in ${Math.round(message.ms)} ms`);
      return;
    }
    if (message.id === undefined) {
      logger.log('warning', `type-checker: ${message.kind === 'failed' ? message.message : 'unexpected message'}`);
      return;
    }
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    clearTimeout(p.timer);
    if (pending.size === 0) worker?.unref();
    if (message.kind === 'checked') {
      warm.add(p.version); // its declarations are parsed now
      p.settle({ ok: true, report: message.report, ms: message.ms });
    }
    else p.settle({ ok: false, reason: message.message });
  };

  const spawn = (): Worker => {
    if (worker) return worker;
    const w = new Worker(entry, {
      // No environment, no Node flags, and no output of its own (our stdout may be the MCP channel).
      env: {},
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 64 },
    });
    w.stdout.resume();
    w.stderr.resume();
    w.on('message', onMessage);
    w.on('error', (error) => {
      logger.log('warning', `type-checker worker failed: ${describeError(error)}; programs run unchecked until it restarts`);
      if (worker === w) stop(`the checker failed: ${describeError(error)}`);
    });
    w.on('exit', (code) => {
      if (worker === w) stop(`the checker exited (${code})`);
    });
    w.unref(); // a gateway that forgot to close is not kept alive by its checker
    worker = w;
    return w;
  };

  /** Sends `catalog` unless the worker holds it; false when it cannot be sent. */
  const ensureCatalog = (w: Worker, catalog: Catalog, version: number): boolean => {
    if (sent.includes(version)) return true;
    try {
      w.postMessage({ kind: 'catalog', version, operations: catalog.operations } satisfies HostToChecker);
    } catch (error) {
      logger.log('warning', `type-checker: the catalog could not be sent to the checker: ${describeError(error)}`);
      return false;
    }
    sent.push(version);
    while (sent.length > CATALOGS_KEPT) warm.delete(sent.shift() ?? 0);
    return true;
  };

  return {
    prepare(catalog) {
      if (closed) return;
      spawn();
      clearTimeout(prepareTimer);
      prepareTimer = setTimeout(() => {
        if (!closed) ensureCatalog(spawn(), catalog, versionOf(catalog));
      }, PREPARE_DEBOUNCE_MS);
      prepareTimer.unref();
    },
    check(catalog, input) {
      if (closed) return Promise.resolve({ ok: false, reason: 'the checker is closed' });
      const version = versionOf(catalog);
      const key = JSON.stringify([version, input.form, input.language, input.hostDeclarations, input.source]);
      const known = reports.get(key);
      if (known) return Promise.resolve({ ok: true, report: known, ms: 0 });
      const w = spawn();
      if (!ensureCatalog(w, catalog, version)) return Promise.resolve({ ok: false, reason: 'the catalog could not be sent to the checker' });
      const id = nextId++;
      const deadline = warm.has(version) ? timeoutMs : warmupMs;
      return new Promise<CheckOutcome>((settle) => {
        const timer = setTimeout(() => {
          logger.log('warning', `type-checker: a check ran past ${deadline} ms; the program runs unchecked and the checker restarts`);
          pending.delete(id);
          settle({ ok: false, reason: `the check ran past ${deadline} ms` });
          if (worker === w) stop('the checker was restarted');
        }, deadline);
        pending.set(id, {
          version,
          settle: (outcome) => {
            if (outcome.ok) remember(key, outcome.report);
            settle(outcome);
          },
          timer,
        });
        w.ref();
        w.postMessage({ kind: 'check', id, version, input } satisfies HostToChecker);
      });
    },
    async close() {
      closed = true;
      clearTimeout(prepareTimer);
      const w = worker;
      stop('the checker is closed');
      if (w) await w.terminate().catch(() => undefined);
    },
  };
}

/** `.../src/runtime/typecheck/x.ts` -> `.../dist/runtime/typecheck/check-worker.js`; compiled code: the sibling file. */
export function resolveCheckerEntry(moduleUrl: string): URL {
  const url = new URL(moduleUrl);
  const at = url.pathname.lastIndexOf('/src/');
  if (url.pathname.endsWith('.ts') && at >= 0) {
    url.pathname = `${url.pathname.slice(0, at)}/dist/${url.pathname.slice(at + '/src/'.length).replace(/[^/]*$/, 'check-worker.js')}`;
    return url;
  }
  return new URL('./check-worker.js', url);
}
