// What the two tools do, independent of transport: search the current catalog, execute a program,
// and describe the tool surface (auto mode inlines the typed API when it fits the budget).
// One instance serves every session; the composition root swaps in a new Catalog as upstreams
// join. Search and execute wait briefly for upstreams still connecting (execute longer for those
// its program names). Each session's data is in the SessionStore: a run pulls it first, writes it back last.
import { randomUUID } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { countTokens, describeError, isCemcpError, type CemcpError, LOCAL_PRINCIPAL, type Logger, type Principal, type Records } from '../common/index.js';
import { declaredOnly, renderDeclarations, withSkills, type Catalog } from '../catalog/index.js';
import { executeProgram, type ExecuteContext, type ExecuteResult, type RuntimeOptions, type SkillLibrary } from '../runtime/index.js';
import { createMemorySessionStore, GATEWAY_RECORDS_ID, Session, storeRecords, type EndRun, type SessionStore } from '../session/index.js';
import type { ProgressReporterOptions } from './progress-reporter.js';
import { createToolDefinitions } from './tool-definitions.js';
import { definitionTokens, directDefinitions, toModelDefinition } from './footprint.js';
import { countRun, type PrincipalCaps } from './principal-caps.js';
import { answerSearch, type SearchRequest } from './search-request.js';
import { describeNotReady, referencedUpstreams, waitAtMost, type UpstreamTracker } from './upstream-status.js';

export interface GatewayServiceOptions {
  readonly runtime: RuntimeOptions;
  /** Inline the typed API in execute's description when it is at most this many tokens (0 = never). */
  readonly inlineApiMaxTokens: number;
  readonly logger: Logger;
  /** A fresh PII map for a session; absent (or answering undefined) when tokenization is off. */
  readonly openPiiSession?: () => ExecuteContext['pii'];
  /** Upstreams that may still be connecting (absent: the catalog is complete from the start). */
  readonly upstreams?: UpstreamTracker;
  /** How long search (and execute, for upstreams it does not name) waits for upstreams still connecting. */
  readonly searchWaitMs?: number;
  /** Where session data lives; absent: this process's memory. */
  readonly sessionStore?: SessionStore;
  /** What a client is sent while execute runs (cemcp.progress); absent: DEFAULT_PROGRESS_OPTIONS. */
  readonly progress?: Partial<ProgressReporterOptions>;
  /** Saved skills (the runtime's `skills` namespace keeps them): search finds them as operations. */
  readonly skills?: SkillLibrary;
  /** Per-principal caps (cemcp.principals): runs at once and per minute here, sessions in http.ts. */
  readonly principalCaps?: PrincipalCaps;
}

/** A run that ended, as `onRunEnd` listeners are told of it. */
export interface RunEnd {
  readonly result: ExecuteResult;
  /** From the execute call to its answer: waiting for upstreams and the store included. */
  readonly durationMs: number;
}

/** One client session: its Session (id, data in the store) and execute context. Close it when the session ends. */
export interface GatewaySession {
  readonly id: string;
  readonly session: Session;
  readonly context: ExecuteContext;
  readonly principal: Principal;
  /** Drops the session's PII map and its data in the store. */
  close(): Promise<void>;
  /** Drops the session's PII map here and leaves its data in the store, for other processes to serve. */
  release(): void;
}

export interface OpenSessionOptions {
  /** Serve an existing session (its data is pulled from the store at its first run); default: a new id. */
  readonly id?: string;
  /** The session's data expires this long after its last run; absent: it lasts until close. */
  readonly ttlMs?: number;
  /** Who the session acts for; absent: the local principal (stdio, cli, unauthenticated HTTP). */
  readonly principal?: Principal;
}

export interface Footprint {
  readonly servers: number;
  readonly tools: number;
  /** Tokens of every upstream tool definition as a direct-calling client sends them each turn. */
  readonly directTokens: number;
  /** Tokens of cemcp's two tool definitions as sent each turn (with the inlined API in auto mode). */
  readonly cemcpTokens: number;
  /** Tokens of the two definitions without any inlined API: the floor, whatever the catalog. */
  readonly cemcpBaseTokens: number;
  readonly inlineApi: boolean;
}

export class GatewayService {
  private readonly options: GatewayServiceOptions;
  private currentCatalog: Catalog;
  private definitions: Tool[];
  private inlined = false;
  private readonly listeners = new Set<() => void>();
  private readonly store: SessionStore;
  private readonly sessions = new Map<string, Session>();
  private skillOverlay: { base: Catalog; revision: number; catalog: Catalog } | undefined;
  /** Records every session shares (skills, learned shapes): the store's keys that never expire. */
  readonly gatewayRecords: Records;
  private readonly runEndListeners = new Set<(run: RunEnd) => void>();
  private readonly stopping = new AbortController();
  private running = 0;

  constructor(catalog: Catalog, options: GatewayServiceOptions) {
    this.options = options;
    this.store = options.sessionStore ?? createMemorySessionStore();
    this.gatewayRecords = storeRecords(this.store, GATEWAY_RECORDS_ID);
    this.currentCatalog = catalog;
    this.definitions = this.buildDefinitions();
  }

  get progressOptions(): Partial<ProgressReporterOptions> {
    return this.options.progress ?? {};
  }

  get catalog(): Catalog {
    return this.currentCatalog;
  }

  /** Replaces the catalog; tells listeners when the tool definitions themselves changed. */
  setCatalog(catalog: Catalog): void {
    const declared = catalog.declared === this.currentCatalog.declared;
    this.currentCatalog = catalog;
    // Only result types learned since (catalog/shapes/): the definitions, built from declared types, stand.
    if (declared) return;
    const before = JSON.stringify(this.definitions);
    this.definitions = this.buildDefinitions();
    if (JSON.stringify(this.definitions) !== before) this.listeners.forEach((listener) => listener());
  }

  onDefinitionsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  toolDefinitions(): Tool[] {
    return this.definitions;
  }

  /**
   * Ranked hits over the catalog. Waits up to `searchWaitMs` for upstreams still connecting; the
   * answer ends with one line naming any upstream still connecting or failed, and why.
   */
  async search(request: SearchRequest, signal?: AbortSignal): Promise<string> {
    const tracker = this.options.upstreams;
    if (tracker) {
      const connecting = tracker.statuses().filter((s) => s.state === 'connecting').map((s) => s.name);
      if (connecting.length) await waitAtMost(tracker.waitFor(connecting), this.options.searchWaitMs ?? 0, signal);
    }
    const statuses = tracker?.statuses() ?? [];
    const answer = answerSearch(await this.searchableCatalog(), request, statuses, this.options.runtime.maxTokens);
    const note = describeNotReady(request.server ? statuses.filter((s) => s.name === request.server) : statuses);
    return note ? `${answer}\n${note}` : answer;
  }

  /**
   * The catalog with the saved skills laid over it (search and `cemcp types` list them). Reads the
   * skills' revision first: a skill another session or process saved is found at once. A store
   * that cannot be read leaves the skills as last read.
   */
  async searchableCatalog(): Promise<Catalog> {
    const skills = this.options.skills;
    if (!skills) return this.currentCatalog;
    const snapshot = await skills.refresh().catch(() => skills.current);
    const overlay = this.skillOverlay;
    if (overlay?.base === this.currentCatalog && overlay.revision === snapshot.revision) return overlay.catalog;
    const catalog = withSkills(this.currentCatalog, [...snapshot.skills.values()]);
    this.skillOverlay = { base: this.currentCatalog, revision: snapshot.revision, catalog };
    return catalog;
  }

  /** A session of `transport` (stdio, http, cli): its own id, PII map and data in the store. */
  openSession(transport: string, options: OpenSessionOptions = {}): GatewaySession {
    const id = options.id ?? `${transport}-${randomUUID()}`;
    const pii = this.options.openPiiSession?.();
    const session = new Session({
      id, transport, store: this.store, ...(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}), mirrors: pii ? { pii } : {},
    });
    this.sessions.set(id, session);
    const forget = () => {
      if (this.sessions.get(id) === session) this.sessions.delete(id);
    };
    const close = async (): Promise<void> => {
      forget();
      await session.close();
    };
    const release = () => {
      forget();
      session.release();
    };
    const records = { session: session.records, gateway: this.gatewayRecords };
    const principal = options.principal ?? LOCAL_PRINCIPAL;
    return { id, session, principal, context: { session: { id, transport, ...(options.principal ? { principal } : {}) }, ...(pii ? { pii } : {}), records }, close, release };
  }

  /** Per-principal caps (cemcp.principals), for http.ts to count sessions with. */
  get principalCaps(): PrincipalCaps | undefined {
    return this.options.principalCaps;
  }

  /** Sessions open now. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /**
   * Runs a program in the session named by `context` (its data pulled from the store first and
   * written back after). Without a context, the run gets a one-off session: output is tokenized,
   * nothing carries over, nothing is stored. Every run, however it ended, is told to `onRunEnd`.
   */
  async execute(code: string, signal?: AbortSignal, context?: ExecuteContext): Promise<ExecuteResult> {
    const started = performance.now();
    // The gateway stopping (stopRuns) ends a run as a client's cancel does.
    const runSignal = signal ? AbortSignal.any([this.stopping.signal, signal]) : this.stopping.signal;
    this.running++;
    try {
      const result = await this.runProgram(code, runSignal, context);
      const run: RunEnd = { result, durationMs: performance.now() - started };
      for (const listener of this.runEndListeners) listener(run);
      return result;
    } finally {
      this.running--;
    }
  }

  /** Told of every run as it ends (metrics); answers a function that stops telling. */
  onRunEnd(listener: (run: RunEnd) => void): () => void {
    this.runEndListeners.add(listener);
    return () => this.runEndListeners.delete(listener);
  }

  /** Programs running now, in every session. */
  get activeRuns(): number {
    return this.running;
  }

  /**
   * Stops every run going on and any started later, with `reason` (a SANDBOX_CANCELLED error
   * whose message the program's answer carries): the gateway is shutting down.
   */
  stopRuns(reason: CemcpError): void {
    this.stopping.abort(reason);
  }

  private async runProgram(code: string, signal: AbortSignal, context: ExecuteContext | undefined): Promise<ExecuteResult> {
    // The principal's caps are counted while upstreams are awaited and the session's data is
    // pulled: a shared store's round trips overlap instead of adding up.
    const counting = countRun(this.options.principalCaps, context?.session?.principal ?? LOCAL_PRINCIPAL);
    // So are the saved skills a JavaScript run reads before it starts (skill-library.ts).
    if (context?.language !== 'python') this.options.skills?.readAhead();
    await this.awaitNamedUpstreams(code, signal);
    const pii = context ? undefined : this.options.openPiiSession?.();
    const runContext = context ?? { session: { id: `embedded-${randomUUID()}`, transport: 'embedded' }, ...(pii ? { pii } : {}), records: { gateway: this.gatewayRecords } };
    const session = context?.session ? this.sessions.get(context.session.id) : undefined;
    if (session && context?.session?.client && !session.client) session.client = context.session.client;
    const log = (error: unknown) => this.options.logger.log('error', describeError(error));
    const [place, begun] = await Promise.all([counting, session?.beginRun().then((end) => ({ end }), (error: unknown) => ({ error }))]);
    if (!place.ok || (begun && 'error' in begun)) {
      pii?.close();
      await Promise.all([begun && 'end' in begun ? begun.end().catch(log) : undefined, place.ok ? place.end().catch(log) : undefined]);
      if (!place.ok) return this.refusedBeforeRun(code, place.errorCode, place.message);
      return this.failedBeforeRun(code, begun && 'error' in begun ? begun.error : undefined);
    }
    const endRun: EndRun | undefined = begun && 'end' in begun ? begun.end : undefined;
    let result: ExecuteResult;
    try {
      result = await executeProgram(code, this.currentCatalog, this.options.runtime, signal, runContext);
    } finally {
      pii?.close();
      // The run's place is given back without holding the answer: this process's next update of the
      // principal's counter waits for it (cached-cas.ts); another process may see it a moment later.
      void place.end().catch(log);
      // The answer stands: this process still holds the session's map; only other processes would miss it.
      await endRun?.().catch(log);
    }
    if (!result.ok) result = this.withUpstreamNote(code, result);
    // Per-run accounting for operators (--verbose). The bench reads the audit records, not this line.
    const s = result.stats;
    this.options.logger.log('debug', `execute: ${result.ok ? 'ok' : result.errorCode ?? 'error'}, tokens in ${result.tokensIn}, out ${result.tokensOut}, `
      + `${result.calls.length} tool calls${s ? `, wall ${Math.round(s.wallMs)} ms, cpu ${Math.round(s.cpuMs)} ms` : ''}`);
    return result;
  }

  /** The store of every session's data (HTTP sessions keep there what another process needs to serve them). */
  get sessionStore(): SessionStore {
    return this.store;
  }

  /**
   * The gateway stops: every open session is let go (Session.leave). Its data stays in a shared
   * store for another process to carry on when `keptOnShutdown` says so, else it is deleted.
   */
  async closeSessions(): Promise<void> {
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(open.map((session) => session.leave()));
  }

  /** The session's data could not be read: the program did not run. */
  private failedBeforeRun(code: string, error: unknown): ExecuteResult {
    return this.refusedBeforeRun(code, 'SESSION_STORE', isCemcpError(error) ? error.message : describeError(error));
  }

  private refusedBeforeRun(code: string, errorCode: string, message: string): ExecuteResult {
    const text = `${message}${message.endsWith('.') ? '' : '.'} The program did not run.`;
    return { ok: false, text, errorCode, tokensIn: countTokens(code), tokensOut: countTokens(text), cut: false, calls: [] };
  }

  /**
   * Upstreams still connecting: those the program names are waited for up to their connect
   * timeout; the others, like a search, up to `searchWaitMs` (a program may use any namespace,
   * e.g. by listing globalThis), so a run early in start-up sees the catalog a moment later.
   */
  private async awaitNamedUpstreams(code: string, signal: AbortSignal | undefined): Promise<void> {
    const tracker = this.options.upstreams;
    if (!tracker) return;
    const connecting = tracker.statuses().filter((s) => s.state === 'connecting');
    if (!connecting.length) return;
    const named = referencedUpstreams(code, connecting.map((s) => s.name));
    const others = connecting.filter((s) => !named.includes(s.name)).map((s) => s.name);
    const boundMs = Math.max(0, ...connecting.filter((s) => named.includes(s.name)).map((s) => (s.connectTimeoutMs ?? 0) + 1_000));
    await Promise.all([
      named.length ? waitAtMost(tracker.waitFor(named), boundMs, signal) : undefined,
      others.length ? waitAtMost(tracker.waitFor(others), this.options.searchWaitMs ?? 0, signal) : undefined,
    ]);
  }

  /** A failed run that names an upstream that is not ready says why it is not (a ReferenceError alone would not). */
  private withUpstreamNote(code: string, result: ExecuteResult): ExecuteResult {
    const notReady = (this.options.upstreams?.statuses() ?? []).filter((s) => s.state === 'connecting' || s.state === 'failed');
    const named = new Set(referencedUpstreams(code, notReady.map((s) => s.name)));
    const note = describeNotReady(notReady.filter((s) => named.has(s.name)));
    if (!note) return result;
    const text = `${result.text}\n${note.replace(/^Not in these results: /, 'Upstreams not available: ')}`;
    return { ...result, text, tokensOut: countTokens(text) };
  }

  /** Counted one way everywhere (server/footprint.ts): what a model is sent each turn. */
  footprint(): Footprint {
    const operations = this.currentCatalog.operations;
    return {
      servers: this.currentCatalog.servers().length,
      tools: operations.length,
      directTokens: definitionTokens(directDefinitions(operations)),
      cemcpTokens: definitionTokens(this.definitions.map((t) => toModelDefinition(t))),
      cemcpBaseTokens: definitionTokens(createToolDefinitions().map((t) => toModelDefinition(t))),
      inlineApi: this.inlined,
    };
  }

  private buildDefinitions(): Tool[] {
    const max = this.options.inlineApiMaxTokens;
    // Declared types only: a learned result type changes with each call, the definitions must not.
    const operations = declaredOnly(this.currentCatalog.declared.operations);
    const api = max > 0 && operations.length > 0 ? renderDeclarations(operations) : '';
    this.inlined = api !== '' && countTokens(api) <= max;
    return this.inlined ? createToolDefinitions(api) : createToolDefinitions();
  }
}
