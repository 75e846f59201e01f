// The composition root of a running gateway: upstream pool -> catalog -> sandbox engine ->
// runtime -> GatewayService, wired together and torn down as one. Used by every CLI command.
// The one secret redactor sits on every way out: tool results, fetch, catalog text, logs, audit.
// Returns at once: upstreams and OpenAPI sources join the catalog as each connects or loads.
import { describeError, fanOutLogger, type Logger } from '../common/index.js';
import { findAuditDirExposures, resolveUpstreamLimits, type LoadedConfig, type OpenApiSourceConfig } from '../config/index.js';
import { Catalog, reservedNameNotes } from '../catalog/index.js';
import { createQuickJsEngine, type Engine } from '../sandbox/index.js';
import { createPythonEngineFor } from './python-wiring.js';
import type { ToolInvoker } from '../common/index.js';
import {
  createEgress, createProgramChecker, createUpstreamLimiter, fetchNamespace, handlesNamespace, secretGuard, SkillLibrary, skillsNamespace, stateNamespace,
  type HostNamespace, type RuntimeLimits, type TypeCheckOptions, type UpstreamLimiter,
} from '../runtime/index.js';
import { ClientLogBroadcaster, GatewayService, createShapeLearning, type UpstreamStatusView, type UpstreamTracker } from '../server/index.js';
import { auditDirOf, createOversight } from './oversight-wiring.js';
import { createPrincipalCapsFromConfig } from './principal-wiring.js';
import { createConfigSecretRedactor, redactingLogger } from './secret-wiring.js';
import type { SecretRedactor } from '../privacy/index.js';
import { GATEWAY_RECORDS_ID, storeRecords, type SessionStore } from '../session/index.js';
import { createSessionStore, shapePersistence } from './store-wiring.js';
import { UpstreamPool, createOpenApiSource, outcomeInvoker, type OpenApiSource, type StartReport } from '../upstream/index.js';

export interface Gateway {
  readonly service: GatewayService;
  /**
   * Settles when every started upstream (MCP and OpenAPI) has connected or failed; never rejects.
   * Nothing waits for it: the service answers at once and upstreams join the catalog as they come.
   */
  readonly ready: Promise<StartReport>;
  readonly broadcaster: ClientLogBroadcaster;
  /** Upstream states, and where session data lives: what /readyz and /metrics read (cli/ops-wiring.ts). */
  readonly upstreams: UpstreamTracker;
  readonly sessionStore: SessionStore;
  close(): Promise<void>;
}

export interface StartGatewayOptions {
  /** Start only these upstreams and OpenAPI sources (config keys); default: all of them. */
  readonly only?: readonly string[];
}

export async function startGateway(config: LoadedConfig, stderrLogger: Logger, options: StartGatewayOptions = {}): Promise<Gateway> {
  const broadcaster = new ClientLogBroadcaster();
  const secrets = createConfigSecretRedactor(config);
  const logger = redactingLogger(fanOutLogger(stderrLogger, broadcaster), secrets);
  // An upstream serving a folder that holds the audit log could let a program read or rewrite it.
  if (config.cemcp.audit.enabled) {
    for (const warning of findAuditDirExposures(config.mcpServers, auditDirOf(config), config.inheritedEnv.HOME)) logger.log('warning', warning);
  }
  const pool = new UpstreamPool(config, logger);
  const engine: Engine = createQuickJsEngine({ poolSize: config.cemcp.poolSize, maxArgumentBytes: config.cemcp.limits.maxArgumentBytes });
  const pythonEngine = createPythonEngineFor(config.cemcp.python, config.cemcp.limits.maxArgumentBytes);
  const wanted = (name: string) => !options.only || options.only.includes(name);
  const apis = new OpenApiSet(config, wanted);

  // Per-upstream slots, rate and call timeout, shared by every session of this process: a step of
  // the call pipeline (runtime/pipeline/upstream-slot.ts). Every answer passes the secret
  // redactor, then becomes the neutral outcome a program receives.
  const upstreamLimiter: UpstreamLimiter = createUpstreamLimiter(resolveUpstreamLimits(config));
  const sessionStore = createSessionStore(config, logger); // cemcp.store: memory, or Redis (store-wiring.ts)
  // Result types learned from what tools return (cemcp.types): shapes only, kept in a file or the store.
  const learning = config.cemcp.types.infer ? createShapeLearning({
    publish: (catalog) => {
      service.setCatalog(catalog);
      typecheck?.checker.prepare(catalog); // a learned shape is a declared type to check against
    },
    logger,
    file: shapePersistence(config, sessionStore, logger), // the types file, or the shared store's records
  }) : undefined;
  const upstreamInvoker: ToolInvoker = outcomeInvoker({
    callTool(server, toolName, args, callOptions) {
      const api = apis.get(server);
      if (api) return api.callTool(toolName, args, callOptions);
      const upstream = pool.get(server);
      if (!upstream) throw new Error(`upstream "${server}" is not configured`);
      return upstream.callTool(toolName, args, callOptions);
    },
  }, secretGuard(secrets));
  const invoker = learning ? learning.wrap(upstreamInvoker) : upstreamInvoker;
  const { limits: l, surface } = config.cemcp;
  const limits: RuntimeLimits = {
    cpuMs: l.cpuMs, wallMs: l.wallMs, memoryBytes: l.memoryBytes, stackBytes: l.stackBytes,
    maxLogBytes: l.maxLogBytes, maxResultBytes: l.maxResultBytes,
    maxToolCalls: l.maxToolCalls, toolCallTimeoutMs: l.toolCallTimeoutMs,
    maxConcurrentCalls: l.maxConcurrentCalls, maxToolResultBytes: l.maxToolResultBytes,
  };
  const namespaces: HostNamespace[] = config.cemcp.fetch.allow.length ? [fetchNamespace(createEgress(config.cemcp.fetch, secrets))] : [];
  for (const note of reservedNameNotes([...Object.keys(config.mcpServers), ...Object.keys(config.openapi)], namespaces.map((ns) => ns.name))) logger.log('warning', note);
  const tracker: UpstreamTracker = {
    statuses: () => [...pool.statuses().filter((s) => wanted(s.name)), ...apis.statuses()],
    waitFor: async (names) => {
      await Promise.all([pool.whenSettled(names), apis.whenSettled(names)]);
    },
  };
  // PII tokenization, tool policy, audit log and flags (cemcp.privacy, cemcp.policy, cemcp.audit).
  const oversight = createOversight(config, logger, secrets);
  // Saved skills live in the store's durable records, shared by every session (cemcp.skills).
  const { enabled: skillsOn, ...skillBounds } = config.cemcp.skills;
  const skills = skillsOn ? new SkillLibrary(storeRecords(sessionStore, GATEWAY_RECORDS_ID), skillBounds) : undefined;
  if (skills) namespaces.push(skillsNamespace(skills));
  // Type-check before run (cemcp.typecheck): a warm checker in a worker, given each new catalog.
  const { mode, timeoutMs } = config.cemcp.typecheck;
  const typecheck: TypeCheckOptions | undefined = mode === 'off' ? undefined : { mode, checker: createProgramChecker({ logger, timeoutMs }) };
  const service = new GatewayService(Catalog.fromSources([]), {
    ...(skills ? { skills } : {}),
    runtime: {
      engine, ...(pythonEngine ? { pythonEngine } : {}), invoker, limits, maxTokens: surface.maxTokens, oversight: oversight.runtime, upstreamLimiter, typecheck,
      // The gateway's own globals (state, handles, skills) beside fetch; upstreams never take their names (catalog.ts).
      namespaces: [...namespaces, stateNamespace(config.cemcp.state), handlesNamespace(config.cemcp.handles)], handles: config.cemcp.handles,
    },
    inlineApiMaxTokens: surface.inlineApiMaxTokens,
    logger,
    openPiiSession: oversight.openPiiSession,
    sessionStore,
    upstreams: tracker,
    searchWaitMs: config.cemcp.upstreams.searchWaitMs,
    progress: config.cemcp.progress,
    principalCaps: createPrincipalCapsFromConfig(config, sessionStore),
  });
  // The checker loads TypeScript and the ES library while upstreams connect, not at the first program.
  typecheck?.checker.prepare(service.catalog);
  const rebuild = () => {
    try {
      const catalog = catalogOf(pool, apis.loaded(), secrets, namespaces.map((ns) => ns.name));
      if (learning) learning.setCatalog(catalog);
      else service.setCatalog(catalog);
      typecheck?.checker.prepare(service.catalog);
    } catch (error) {
      logger.log('error', `rebuilding the catalog failed: ${describeError(error)}`);
    }
  };
  pool.onToolsChanged(rebuild);
  apis.onChange = rebuild;

  // Every upstream starts at once, in the background; each failure is reported as it happens.
  const names = [...pool.connections.keys()].filter(wanted);
  const mcp = pool.start(names);
  const reportFailure = (error: string) => {
    logger.log('error', error);
    broadcaster.remember('error', error);
  };
  for (const name of names) {
    void pool.whenSettled([name]).then(() => {
      const status = pool.statuses().find((s) => s.name === name);
      if (status?.state === 'failed') reportFailure(status.error ?? `upstream "${name}" failed`);
      else if (status?.state === 'ready') logger.log('debug', `upstream "${name}" ready: ${status.toolCount} tools in ${Math.round(status.connectMs ?? 0)} ms`);
    });
  }
  const openapi = apis.start(reportFailure);
  const ready = Promise.all([mcp, openapi]).then(([m, o]): StartReport => ({
    ready: [...m.ready, ...o.ready],
    failed: [...m.failed, ...o.failed],
  }));

  return {
    service,
    ready,
    broadcaster,
    upstreams: tracker,
    sessionStore,
    async close() {
      await service.closeSessions();
      await Promise.allSettled([pool.close(), engine.close(), pythonEngine?.close(), sessionStore.close(), learning?.close(), typecheck?.checker.close()]);
    },
  };
}

/** The OpenAPI sources of the config, each loading in the background, tracked like upstreams. */
class OpenApiSet {
  onChange: () => void = () => undefined;
  private readonly sources = new Map<string, OpenApiSource>();
  private readonly states = new Map<string, { state: 'connecting' | 'ready' | 'failed'; error?: string; since: number; settled?: Promise<void> }>();
  private readonly entries: [string, OpenApiSourceConfig][];
  private readonly file: string;

  constructor(config: LoadedConfig, wanted: (name: string) => boolean) {
    this.entries = Object.entries(config.openapi).filter(([name, c]) => !c.disabled && wanted(name));
    this.file = config.file;
  }

  start(onFailure: (error: string) => void): Promise<StartReport> {
    const runs = this.entries.map(([name, config]) => {
      const entry: { state: 'connecting' | 'ready' | 'failed'; error?: string; since: number; settled?: Promise<void> } = { state: 'connecting', since: performance.now() };
      this.states.set(name, entry);
      entry.settled = createOpenApiSource(name, config, `${this.file}: openapi.${name}`).then(
        (source) => {
          this.sources.set(name, source);
          entry.state = 'ready';
          this.onChange();
        },
        (error: unknown) => {
          entry.state = 'failed';
          entry.error = describeError(error);
          onFailure(entry.error);
          this.onChange();
        },
      );
      return entry.settled;
    });
    return Promise.all(runs).then(() => ({
      ready: this.entries.map(([name]) => name).filter((name) => this.sources.has(name)),
      failed: [...this.states].flatMap(([name, s]) => (s.state === 'failed' ? [{ name, error: s.error ?? 'failed' }] : [])),
    }));
  }

  get(name: string): OpenApiSource | undefined {
    return this.sources.get(name);
  }

  /** Loaded sources in config order. */
  loaded(): OpenApiSource[] {
    return this.entries.flatMap(([name]) => this.sources.get(name) ?? []);
  }

  statuses(): UpstreamStatusView[] {
    return [...this.states].map(([name, s]) => ({
      name, state: s.state, error: s.error,
      ...(s.state === 'connecting' ? { connectingForMs: performance.now() - s.since } : {}),
    }));
  }

  async whenSettled(names: readonly string[]): Promise<void> {
    await Promise.all(names.map((name) => this.states.get(name)?.settled));
  }
}

/** Tool lists as redacted, by the list an upstream gave (a rebuild redacts only lists that changed). */
const redactedTools = new WeakMap<object, readonly unknown[]>();

/** MCP upstreams in config order, each with the tools it last listed, then the OpenAPI sources. */
function catalogOf(pool: UpstreamPool, apis: readonly OpenApiSource[], secrets: SecretRedactor, hostNamespaces: readonly string[]): Catalog {
  // An upstream's tool text (descriptions, schemas) reaches the model: no configured secret in it.
  const redact = <T extends readonly unknown[]>(tools: T): T => {
    let out = redactedTools.get(tools);
    if (!out) redactedTools.set(tools, (out = secrets.redactValue(tools)));
    return out as T;
  };
  return Catalog.fromSources([
    ...[...pool.connections.values()].map((c) => ({ server: c.name, tools: redact(c.tools) })),
    ...apis.map((api) => ({ server: api.name, tools: redact(api.tools) })),
  ], hostNamespaces);
}
