// `cemcp serve`: the gateway over stdio (default) or Streamable HTTP. Arguments are checked and,
// with --http, the port is probed before any upstream is spawned; binding beyond loopback without
// authentication (cemcp.auth, auth-wiring.ts) is refused unless --insecure-no-auth. Registered in commands.ts.
import net from 'node:net';
import { TOKENIZER_NAME, UsageError, warmTokenizer, type Logger } from '../common/index.js';
import { loadConfig } from '../config/index.js';
import type { StartReport } from '../upstream/index.js';
import { checkAuthFlags, wireAuth } from './auth-wiring.js';
import type { Gateway } from './start-gateway.js';
import { CONFIG_OPTIONS, parseCommandArgs, type Command } from './command.js';

const DEFAULT_PORT = 8787;
const DEFAULT_HOST = '127.0.0.1';
/**
 * The tokenizer (~0.4 s to load, blocking) is loaded this long after the gateway starts serving:
 * a client's initialize and first tools/list are answered before it, its first search or execute
 * after it.
 */
const TOKENIZER_WARM_DELAY_MS = 250;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve search + execute to an MCP client over stdio, or Streamable HTTP with --http',
  usage: `Usage: cemcp serve [options]

Serves the two tools, search and execute, over stdio (for Claude Code, Claude Desktop, Cursor,
VS Code) or, with --http, over Streamable HTTP at http://HOST:PORT/mcp.

Options:
  -c, --config FILE          the config (default ./mcp.json)
      --http                 Streamable HTTP instead of stdio
      --port N               HTTP port (default ${DEFAULT_PORT}; 0 picks a free one)
      --host H               HTTP address to bind (default ${DEFAULT_HOST}). Beyond loopback, cemcp.auth
                             must be configured (OAuth 2.1 access tokens and/or API keys, sent as
                             Authorization: Bearer; docs/deploy.md "Authentication")
      --insecure-no-auth     bind beyond loopback with no authentication (a trusted network only:
                             anyone reaching the port runs programs with every upstream credential)
      --allowed-host NAME    accept this Host header too (repeatable), e.g. the public name a
                             reverse proxy forwards; "name" matches any port, "name:443" only that one
      --allowed-origin URL   accept this browser Origin too (repeatable), e.g. https://app.example.com
      --verbose              also log upstream stderr, debug lines and one line per execute
  -h, --help                 this help

The same lists can live in the config: "cemcp": { "http": { "allowedHosts": [...], "allowedOrigins": [...] } }.
With "cemcp": { "auth": { "resource": "https://mcp.example.com/mcp", "authorizationServers": [...] } }
/mcp is an OAuth resource server (metadata at /.well-known/oauth-protected-resource); with
"apiKeys": [{ "name": "ci", "hash": "sha256:<printf %s KEY | sha256sum>" }] it takes static keys.
With --http, /healthz, /readyz and /metrics are served too, and SIGTERM drains: running programs
get cemcp.http.drainMs to finish, new work gets 503 (docs/deploy.md, Operations).

Example: cemcp serve --config examples/mcp.json --http --port 8787
`,
  async run(argv, io) {
    const { values } = parseCommandArgs('serve', argv, {
      ...CONFIG_OPTIONS, http: { type: 'boolean' }, port: { type: 'string' }, host: { type: 'string' },
      'allowed-host': { type: 'string', multiple: true }, 'allowed-origin': { type: 'string', multiple: true },
      'insecure-no-auth': { type: 'boolean' },
    });
    const httpOnly = ['port', 'host', 'allowed-host', 'allowed-origin', 'insecure-no-auth'].filter((flag) => values[flag as keyof typeof values] !== undefined);
    if (!values.http && httpOnly.length) throw new UsageError('USAGE', `serve: --${httpOnly[0]} needs --http (stdio has no port or host)`);
    const port = values.port === undefined ? DEFAULT_PORT : parsePort(values.port);
    const host = values.host ?? DEFAULT_HOST;
    const origins = values['allowed-origin'] ?? [];
    for (const origin of origins) checkOrigin(origin);

    const logger = io.logger(values.verbose ?? false);
    const config = await loadConfig(values.config ?? 'mcp.json', io.env);
    if (values.http) checkAuthFlags(config, host, values['insecure-no-auth'] ?? false);
    if (values.http) await ensurePortFree(host, port);
    // Loaded on use, so that --help, --version and usage errors answer at once.
    const [{ startGateway }, { createMcpServer, serveHttp, serveStdio }] = await Promise.all([import('./start-gateway.js'), import('../server/index.js')]);
    const gateway = await startGateway(config, logger);
    try {
      const { describeChange } = await import('../server/index.js');
      // Health, readiness, metrics and the drain on SIGTERM (cli/ops-wiring.ts).
      const ops = values.http ? await (await import('./ops-wiring.js')).createHttpOperations(gateway, config, io.env, logger) : undefined;
      let stop = async (): Promise<void> => undefined;
      let stopping = false;
      const shutdown = (why: string) => {
        if (stopping) return;
        stopping = true;
        logger.log('info', `shutting down (${why})`);
        (ops ? ops.shutdown(stop) : Promise.allSettled([stop(), gateway.close()])).finally(() => process.exit(0));
      };
      if (values.http) {
        const { idleTimeoutMs, maxSessions } = config.cemcp.sessions;
        const auth = await wireAuth({ config, env: io.env, host, insecureNoAuth: values['insecure-no-auth'] ?? false, logger });
        stop = await startHttp(gateway, logger, serveHttp, createMcpServer, {
          host, port, idleTimeoutMs, maxSessions, principalCaps: gateway.service.principalCaps,
          allowedHosts: [...config.cemcp.http.allowedHosts, ...(values['allowed-host'] ?? [])],
          allowedOrigins: [...config.cemcp.http.allowedOrigins, ...origins],
          ...auth, ...ops?.serveOptions(auth.routes),
        // The store keeps a session's data a run's length past the idle expiry (which closes it first).
        }, idleTimeoutMs + config.cemcp.limits.wallMs);
      } else {
        const session = await serveStdio(createMcpServer(gateway.service, gateway.broadcaster, { transport: 'stdio' }));
        session.closed.then(() => shutdown('stdin closed'), () => undefined);
      }
      // The footprint line counts tokens: it waits for the tokenizer, which waits for the client.
      logFootprint(gateway, logger, describeChange, warmTokenizer(TOKENIZER_WARM_DELAY_MS));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    } catch (error) {
      // A serve that failed to start must not linger with its upstream children and workers.
      await gateway.close();
      throw error;
    }
  },
};

type Describe = (from: number, to: number) => string;

/** Clients are served at once; this summary comes when the last upstream connected or failed. */
function logFootprint({ service, ready }: Gateway, logger: Logger, describeChange: Describe, tokenizer: Promise<void>): void {
  void Promise.all([ready, tokenizer]).then(([report]) => logFootprintNow(service, report, logger, describeChange));
}

function logFootprintNow(service: Gateway['service'], report: StartReport, logger: Logger, describeChange: Describe): void {
  const f = service.footprint();
  logger.log('info', `${report.ready.length} of ${report.ready.length + report.failed.length} upstreams ready, ${f.tools} tools`);
  const inline = f.inlineApi ? ` (typed API inlined in execute; ${f.cemcpBaseTokens.toLocaleString('en-US')} without it)` : '';
  const direct = f.tools ? ` vs ${f.directTokens.toLocaleString('en-US')} for the ${f.tools} tools listed directly: ${describeChange(f.directTokens, f.cemcpTokens)}` : '';
  logger.log('info', `tool definitions sent each turn: cemcp ${f.cemcpTokens.toLocaleString('en-US')} tokens${inline}${direct}; tokenizer ${TOKENIZER_NAME}`);
}

type ServerModule = typeof import('../server/index.js');
type HttpServeOptions = Parameters<ServerModule['serveHttp']>[1];

async function startHttp(gateway: Gateway, logger: Logger, serveHttp: ServerModule['serveHttp'], createMcpServer: ServerModule['createMcpServer'],
  options: HttpServeOptions, sessionTtlMs: number): Promise<() => Promise<void>> {
  // Sessions are recorded in the store: any process sharing it serves them (docs/deploy.md "Several processes").
  const { createSessionDirectory } = await import('../server/index.js');
  const directory = createSessionDirectory(gateway.service.sessionStore, { ttlMs: sessionTtlMs, ...(options.idleTimeoutMs !== undefined ? { idleMs: options.idleTimeoutMs } : {}) });
  const http = await serveHttp(({ sessionId: mcpSessionId, principal }) => createMcpServer(gateway.service, gateway.broadcaster, { transport: 'http', sessionTtlMs, mcpSessionId, principal }), { ...options, directory }, logger);
  logger.log('info', `serving Streamable HTTP at ${http.url}`);
  if (!isLoopback(options.host) && !options.authenticate) {
    logger.log('warning', [
      `!!! ${http.url} is reachable beyond this machine and, with --insecure-no-auth, cemcp does NOT authenticate requests.`,
      'Anyone who can reach it can run programs that call every configured upstream with its credentials.',
      'Configure cemcp.auth (OAuth or API keys), or bind 127.0.0.1 behind an authenticating reverse proxy (--allowed-host NAME).',
    ].join('\n'));
  }
  return () => http.close();
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError('USAGE', `--port: expected 0-65535, got "${value}"`);
  return n;
}

function checkOrigin(origin: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.origin !== origin.replace(/\/$/, '')) {
    throw new UsageError('USAGE', `--allowed-origin: expected an origin such as https://app.example.com (scheme, host, optional port; no path), got "${origin}"`);
  }
}

/** Fails fast, before any upstream is spawned, when the address is taken or cannot be bound. */
async function ensurePortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use (another cemcp?)'
        : error.code === 'EACCES' ? 'needs privileges to bind'
          : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' ? 'is not an address of this machine' : `cannot be bound (${error.code ?? error.message})`;
      reject(new UsageError('USAGE', `--http: ${host}:${port} ${why}; choose another with --port N (0 picks a free port)`, {}, { cause: error }));
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
