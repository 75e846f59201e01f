// The gateway's side of the type-checker: one worker thread (started on first use, or by prepare),
// the catalog versions it holds, and the deadline of each check. Never in a run's way: a check that
// fails inside (the worker died, ran past its deadline, could not take the catalog) answers
// `ok: false` and is logged, and the caller runs the program unchecked. A catalog still loading
// after one run waited for it is left to load: later runs go unchecked until it is warm.
import { Worker } from 'node:worker_threads';
import { describeError, silentLogger, type Logger } from '../../common/index.js';
import type { Catalog } from '../../catalog/index.js';
import { catalogBlocks } from './catalog-blocks.js';
import { HeldCatalogs, type CheckerToHost, type HostToChecker } from './check-protocol.js';
import type { CheckInput, CheckReport } from './type-check.js';

export interface ProgramCheckerOptions {
  readonly logger?: Logger;
  /** A check of a warm checker taking longer is abandoned (the run goes on unchecked) and the worker restarted. */
  readonly timeoutMs?: number;
  /** How long a run waits for the checker to start or to load a new catalog version (it keeps loading after). */
  readonly warmupTimeoutMs?: number;
  /** A catalog version not loaded after this long is given up (too large to check): its runs go unchecked. */
  readonly giveUpMs?: number;
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
export const DEFAULT_WARMUP_TIMEOUT_MS = 15_000;
const DEFAULT_GIVE_UP_MS = 120_000;
/** Catalogs replaced within this long (upstreams joining one by one) are not sent to the worker. */
const PREPARE_DEBOUNCE_MS = 250;
/** Reports kept for programs sent again unchanged (a retried or scheduled program). */
const CACHED_REPORTS = 256;

interface Pending {
  readonly settle: (outcome: CheckOutcome) => void;
  readonly timer: NodeJS.Timeout;
}

export function createProgramChecker(options: ProgramCheckerOptions = {}): ProgramChecker {
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const warmupMs = options.warmupTimeoutMs ?? DEFAULT_WARMUP_TIMEOUT_MS;
  const giveUpMs = options.giveUpMs ?? DEFAULT_GIVE_UP_MS;
  const entry = options.entry ?? resolveCheckerEntry(import.meta.url);
  const versions = new WeakMap<Catalog, number>();
  let nextVersion = 1;
  let nextId = 1;
  let worker: Worker | undefined;
  // What the current worker holds, which of it is warm, and versions a run already waited for in vain (since when).
  let held = new HeldCatalogs();
  let warm = new Set<number>();
  const loading = new Map<number, number>();
  const givenUp = new Set<number>();
  const pending = new Map<number, Pending>();
  let prepareTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const reports = new Map<string, CheckReport>(); // oldest first

  const versionOf = (catalog: Catalog) => {
    let v = versions.get(catalog);
    if (v === undefined) versions.set(catalog, (v = nextVersion++));
    return v;
  };

  const stop = (reason: string) => {
    const w = worker;
    worker = undefined;
    held = new HeldCatalogs();
    warm = new Set();
    loading.clear();
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.settle({ ok: false, reason });
    }
    if (w) void w.terminate().catch(() => undefined);
  };

  const becameWarm = (version: number, ms?: number) => {
    warm.add(version);
    if (loading.delete(version) || ms !== undefined) logger.log('debug', `type-checker: catalog version ${version} loaded${ms === undefined ? '' : ` in ${Math.round(ms)} ms`}`);
  };

  const onMessage = (message: CheckerToHost) => {
    if (message.kind === 'warm') return becameWarm(message.version, message.ms);
    if (message.kind === 'checked') becameWarm(message.version);
    if (message.id === undefined) {
      logger.log('warning', `type-checker: ${message.kind === 'failed' ? message.message : 'unexpected message'}`);
      return;
    }
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    clearTimeout(p.timer);
    if (pending.size === 0) worker?.unref();
    p.settle(message.kind === 'checked' ? { ok: true, report: message.report, ms: message.ms } : { ok: false, reason: message.message });
  };

  const spawn = (): Worker => {
    if (worker) return worker;
    const w = new Worker(entry, {
      // No environment, no Node flags, and no output of its own (our stdout may be the MCP channel).
      env: {},
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 16 },
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
    if (held.has(version)) return true;
    const blocks = catalogBlocks(catalog, held);
    try {
      w.postMessage({ kind: 'catalog', version, blocks } satisfies HostToChecker);
    } catch (error) {
      logger.log('warning', `type-checker: the catalog could not be sent to the checker: ${describeError(error)}`);
      return false;
    }
    held.add(version, blocks.map((b) => b.key));
    for (const v of warm) if (!held.has(v)) warm.delete(v);
    return true;
  };

  /** Why a check of `version` is not even tried now, or undefined. */
  const unavailable = (version: number): string | undefined => {
    if (givenUp.has(version)) return 'this catalog is too large to check';
    const since = loading.get(version);
    if (since === undefined || warm.has(version)) return undefined;
    if (Date.now() - since < giveUpMs) return 'the checker is still loading this catalog';
    givenUp.add(version);
    logger.log('warning', `type-checker: the catalog did not load in ${Math.round(giveUpMs / 1000)} s; its programs run unchecked`);
    stop('the checker gave up on this catalog');
    return 'this catalog is too large to check';
  };

  const send = (w: Worker, version: number, input: CheckInput, key: string): Promise<CheckOutcome> => {
    const id = nextId++;
    const isWarm = warm.has(version);
    const deadline = isWarm ? timeoutMs : warmupMs;
    return new Promise<CheckOutcome>((settle) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        if (isWarm) {
          logger.log('warning', `type-checker: a check ran past ${deadline} ms; the program runs unchecked and the checker restarts`);
          if (worker === w) stop('the checker was restarted');
        } else {
          // Loading a large catalog: let it go on; runs meanwhile go unchecked rather than wait.
          logger.log('warning', `type-checker: the catalog is still loading after ${deadline} ms; programs run unchecked until it is loaded`);
          if (!loading.has(version)) loading.set(version, Date.now());
        }
        settle({ ok: false, reason: `the check ran past ${deadline} ms` });
      }, deadline);
      pending.set(id, {
        settle: (outcome) => {
          if (outcome.ok) {
            reports.set(key, outcome.report);
            if (reports.size > CACHED_REPORTS) reports.delete(reports.keys().next().value ?? '');
          }
          settle(outcome);
        },
        timer,
      });
      w.ref();
      w.postMessage({ kind: 'check', id, version, input } satisfies HostToChecker);
    });
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
    async check(catalog, input) {
      if (closed) return { ok: false, reason: 'the checker is closed' };
      const version = versionOf(catalog);
      const key = JSON.stringify([version, input.form, input.language, input.hostDeclarations, input.source]);
      const known = reports.get(key);
      if (known) return { ok: true, report: known, ms: 0 };
      const skip = unavailable(version);
      if (skip) return { ok: false, reason: skip };
      const w = spawn();
      if (!ensureCatalog(w, catalog, version)) return { ok: false, reason: 'the catalog could not be sent to the checker' };
      return send(w, version, input, key);
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
