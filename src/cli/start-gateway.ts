// The composition root of a running gateway: upstream pool -> catalog -> sandbox engine ->
// runtime -> GatewayService, wired together and torn down as one. Used by every CLI command.
import { describeError, fanOutLogger, type Logger } from '../common/index.js';
import type { LoadedConfig } from '../config/index.js';
import { Catalog } from '../catalog/index.js';
import { createQuickJsEngine, type Engine } from '../sandbox/index.js';
import type { RuntimeLimits, ToolInvoker } from '../runtime/index.js';
import { ClientLogBroadcaster, GatewayService } from '../server/index.js';
import { UpstreamPool, type StartReport } from '../upstream/index.js';

export interface Gateway {
  readonly service: GatewayService;
  readonly report: StartReport;
  readonly broadcaster: ClientLogBroadcaster;
  close(): Promise<void>;
}

export async function startGateway(config: LoadedConfig, stderrLogger: Logger): Promise<Gateway> {
  const broadcaster = new ClientLogBroadcaster();
  const logger = fanOutLogger(stderrLogger, broadcaster);
  const pool = new UpstreamPool(config, logger);
  const engine: Engine = createQuickJsEngine({ poolSize: config.cemcp.poolSize });
  const report = await pool.start();
  for (const { error } of report.failed) {
    logger.log('error', error);
    broadcaster.remember('error', error);
  }

  const invoker: ToolInvoker = {
    callTool(server, toolName, args, options) {
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
  };
  const service = new GatewayService(catalogOf(pool), {
    runtime: { engine, invoker, limits, maxTokens: surface.maxTokens },
    inlineApiMaxTokens: surface.inlineApiMaxTokens,
    logger,
  });
  pool.onToolsChanged(() => {
    try {
      service.setCatalog(catalogOf(pool));
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

/** Upstreams in config order, each with the tools it last listed. */
function catalogOf(pool: UpstreamPool): Catalog {
  return Catalog.fromSources([...pool.connections.values()].map((c) => ({ server: c.name, tools: c.tools })));
}
