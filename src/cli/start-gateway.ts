// The composition root of a running gateway: upstream pool -> catalog -> sandbox engine ->
// runtime -> GatewayService, wired together and torn down as one. Used by every CLI command.
import { describeError, fanOutLogger, type Logger } from '../common/index.js';
import { findAuditDirExposures, type LoadedConfig } from '../config/index.js';
import { Catalog } from '../catalog/index.js';
import { createQuickJsEngine, type Engine } from '../sandbox/index.js';
import { createEgress, type RuntimeLimits, type ToolInvoker } from '../runtime/index.js';
import { ClientLogBroadcaster, GatewayService } from '../server/index.js';
import { auditDirOf, createOversight } from './oversight-wiring.js';
import { UpstreamPool, loadOpenApiSources, type OpenApiSource, type StartReport } from '../upstream/index.js';

export interface Gateway {
  readonly service: GatewayService;
  /** MCP upstreams and OpenAPI sources together. */
  readonly report: StartReport;
  readonly broadcaster: ClientLogBroadcaster;
  close(): Promise<void>;
}

export async function startGateway(config: LoadedConfig, stderrLogger: Logger): Promise<Gateway> {
  const broadcaster = new ClientLogBroadcaster();
  const logger = fanOutLogger(stderrLogger, broadcaster);
  // An upstream serving a folder that holds the audit log could let a program read or rewrite it.
  if (config.cemcp.audit.enabled) {
    for (const warning of findAuditDirExposures(config.mcpServers, auditDirOf(config), config.inheritedEnv.HOME)) logger.log('warning', warning);
  }
  const pool = new UpstreamPool(config, logger);
  const engine: Engine = createQuickJsEngine({ poolSize: config.cemcp.poolSize, maxArgumentBytes: config.cemcp.limits.maxArgumentBytes });
  // MCP upstreams and OpenAPI sources start in parallel; a failing one is reported, the rest serve.
  const [mcp, openapi] = await Promise.all([pool.start(), loadOpenApiSources(config.openapi, config.file)]);
  const report: StartReport = {
    ready: [...mcp.ready, ...openapi.sources.map((source) => source.name)],
    failed: [...mcp.failed, ...openapi.failed],
  };
  for (const { error } of report.failed) {
    logger.log('error', error);
    broadcaster.remember('error', error);
  }
  const apis = new Map(openapi.sources.map((source) => [source.name, source]));

  const invoker: ToolInvoker = {
    callTool(server, toolName, args, options) {
      const api = apis.get(server);
      if (api) return api.callTool(toolName, args, options);
      const upstream = pool.get(server);
      if (!upstream) throw new Error(`upstream "${server}" is not configured`);
      return upstream.callTool(toolName, args, options);
    },
  };
  const { limits: l, surface } = config.cemcp;
  const limits: RuntimeLimits = {
    cpuMs: l.cpuMs, wallMs: l.wallMs, memoryBytes: l.memoryBytes, stackBytes: l.stackBytes,
    maxLogBytes: l.maxLogBytes, maxResultBytes: l.maxResultBytes,
    maxToolCalls: l.maxToolCalls, toolCallTimeoutMs: l.toolCallTimeoutMs,
    maxConcurrentCalls: l.maxConcurrentCalls, maxToolResultBytes: l.maxToolResultBytes,
  };
  // PII tokenization, tool policy, audit log and flags (cemcp.privacy, cemcp.policy, cemcp.audit).
  const oversight = createOversight(config, logger);
  const service = new GatewayService(catalogOf(pool, openapi.sources), {
    runtime: {
      engine, invoker, limits, maxTokens: surface.maxTokens,
      ...oversight.runtime,
      ...(config.cemcp.fetch.allow.length ? { egress: createEgress(config.cemcp.fetch) } : {}),
    },
    inlineApiMaxTokens: surface.inlineApiMaxTokens,
    logger,
    openPiiSession: oversight.openPiiSession,
  });
  pool.onToolsChanged(() => {
    try {
      service.setCatalog(catalogOf(pool, openapi.sources));
    } catch (error) {
      logger.log('error', `rebuilding the catalog failed: ${describeError(error)}`);
    }
  });

  return {
    service,
    report,
    broadcaster,
    async close() {
      await Promise.allSettled([pool.close(), engine.close()]);
    },
  };
}

/** MCP upstreams in config order, each with the tools it last listed, then the OpenAPI sources. */
function catalogOf(pool: UpstreamPool, apis: readonly OpenApiSource[]): Catalog {
  return Catalog.fromSources([
    ...[...pool.connections.values()].map((c) => ({ server: c.name, tools: c.tools })),
    ...apis.map((api) => ({ server: api.name, tools: api.tools })),
  ]);
}
