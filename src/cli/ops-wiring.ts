// Operations of `serve --http`, wired from config: /healthz, /readyz and /metrics (server/ops-routes.ts,
// cemcp.metrics), the metrics observer on every run, and the graceful shutdown on SIGTERM: drain
// (new work 503, /readyz 503 at once), running programs get cemcp.http.drainMs to finish and are
// then stopped with a clear error, sessions are let go (kept in a shared store), upstreams closed.
// Called from serve-command.ts.
import { CemcpError, ConfigError, type Logger } from '../common/index.js';
import { expandVariables, type Environment, type LoadedConfig } from '../config/index.js';
import { createGatewayMetrics, createOpsRoutes, HttpDrain, type HttpRoute } from '../server/index.js';
import type { Gateway } from './start-gateway.js';

export interface HttpOperations {
  /** Given to serveHttp: the drain gate, and the operations routes beside `others` (e.g. OAuth metadata). */
  serveOptions(others?: ReadonlyMap<string, HttpRoute>): { readonly drain: HttpDrain; readonly routes: ReadonlyMap<string, HttpRoute> };
  /**
   * Drains, then closes: new work gets 503 at once; running programs get cemcp.http.drainMs, then
   * are stopped; then sessions are let go, `closeHttp` runs and the gateway closes. Never rejects.
   */
  shutdown(closeHttp: () => Promise<void>): Promise<void>;
}

/** After the deadline, how long stopped programs get to send their answers before connections close. */
const STOPPED_GRACE_MS = 5_000;

export async function createHttpOperations(gateway: Gateway, config: LoadedConfig, env: Environment, logger: Logger): Promise<HttpOperations> {
  const { service } = gateway;
  const drain = new HttpDrain();
  let catalogLoaded = false;
  void gateway.ready.then(() => {
    catalogLoaded = true;
  });
  const { enabled, token } = config.cemcp.metrics;
  const metrics = enabled ? await createGatewayMetrics({
    upstreams: () => gateway.upstreams.statuses(),
    sessions: () => service.sessionCount,
    runsInFlight: () => service.activeRuns,
    draining: () => drain.isDraining,
  }) : undefined;
  if (metrics) service.onRunEnd((run) => metrics.observeRun(run));
  const routes = createOpsRoutes({
    readiness: { catalogLoaded: () => catalogLoaded, upstreams: () => gateway.upstreams.statuses(), store: gateway.sessionStore, draining: () => drain.isDraining, logger },
    ...(metrics ? { metrics } : {}),
    ...(metrics && token !== undefined ? { metricsToken: resolveMetricsToken(token, config.file, env) } : {}),
  });
  const drainMs = config.cemcp.http.drainMs;

  return {
    serveOptions(others) {
      const clash = [...(others?.keys() ?? [])].find((path) => routes.has(path));
      if (clash) throw new Error(`http: two routes for ${clash}`);
      return { drain, routes: new Map([...(others ?? []), ...routes]) };
    },
    async shutdown(closeHttp) {
      const started = performance.now();
      drain.start();
      logger.log('info', `draining: ${service.activeRuns} programs running; new sessions and requests get 503; waiting up to ${drainMs} ms (cemcp.http.drainMs)`);
      const busy = () => service.activeRuns;
      if (!(await drain.whenIdle(drainMs, busy))) {
        const running = service.activeRuns;
        service.stopRuns(new CemcpError('SANDBOX_CANCELLED', `the gateway process is shutting down and this run outlasted its drain deadline (cemcp.http.drainMs: ${drainMs} ms). `
          + 'Run the program again: a new session (or another process behind the load balancer) serves it'));
        logger.log('warning', `drain deadline passed: stopped ${running} programs still running`);
        await drain.whenIdle(STOPPED_GRACE_MS, busy);
      } else {
        logger.log('info', `drained in ${Math.round(performance.now() - started)} ms`);
      }
      // Sessions first (a shared store keeps them for other processes), then the transports that would end them.
      await service.closeSessions().catch(() => undefined);
      await Promise.allSettled([closeHttp()]);
      await gateway.close().catch(() => undefined);
    },
  };
}

/** The /metrics bearer token from the `${VARIABLE}` the config names (the schema allows nothing else). */
export function resolveMetricsToken(reference: string, file: string, env: Environment): string {
  const where = `${file}: cemcp.metrics.token`;
  const value = expandVariables(reference, where, env);
  if (value.length < 16) throw new ConfigError('CONFIG_INVALID', `${where}: the token in ${reference} is shorter than 16 characters; set it to a long random value (e.g. openssl rand -hex 32)`);
  return value;
}
