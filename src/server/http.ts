// Streamable HTTP at /mcp (MCP 2025-06-18): one SDK transport and Server per session, 404 for an
// unknown or ended session id, Host and Origin checked against DNS rebinding, bound to loopback
// unless told otherwise, bounded request bodies. Imported by cli/ through server/index.ts.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
// Type only: the transport (and the web server framework under it) loads when HTTP is served, not for stdio.
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { describeError, type Logger } from '../common/index.js';

export interface HttpServeOptions {
  readonly host: string;
  readonly port: number;
  /** Extra Host header values to accept (e.g. the public name a reverse proxy forwards): `name` matches any port, `name:port` that port. */
  readonly allowedHosts?: readonly string[];
  /** Extra Origin values to accept; loopback origins are always accepted. */
  readonly allowedOrigins?: readonly string[];
  readonly maxBodyBytes?: number;
}

export interface HttpGateway {
  readonly url: string;
  readonly sessionCount: () => number;
  close(): Promise<void>;
}

const MCP_PATH = '/mcp';
const DEFAULT_MAX_BODY_BYTES = 4 << 20;
const LOOPBACK_HOSTNAMES = ['127.0.0.1', 'localhost', '[::1]'];

interface Session {
  readonly transport: StreamableHTTPServerTransport;
  readonly server: Server;
}

export async function serveHttp(createServer: () => Server, options: HttpServeOptions, logger: Logger): Promise<HttpGateway> {
  const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
  const sessions = new Map<string, Session>();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let port = options.port;

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.log('error', `http: ${describeError(error)}`);
      if (!res.headersSent) sendError(res, 500, -32603, 'internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== MCP_PATH) return sendError(res, 404, -32601, `not found: the MCP endpoint is ${MCP_PATH}`);
    if (!isAllowedHost(req.headers.host, port, options)) return sendError(res, 403, -32000, 'forbidden: Host header not allowed (start cemcp with --allowed-host NAME to accept it)');
    if (!isAllowedOrigin(req.headers.origin, port, options)) return sendError(res, 403, -32000, 'forbidden: Origin not allowed (start cemcp with --allowed-origin URL to accept it)');

    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) return sendError(res, 404, -32001, 'session not found');
      const body = req.method === 'POST' ? await readJson(req, res, maxBodyBytes) : undefined;
      if (body === INVALID) return;
      return session.transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST') return sendError(res, 400, -32000, 'bad request: no session id');
    const body = await readJson(req, res, maxBodyBytes);
    if (body === INVALID) return;
    if (!isInitializeRequest(body)) return sendError(res, 400, -32000, 'bad request: no session id, and not an initialize request');

    const server = createServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      server.close().catch(() => undefined);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  port = (httpServer.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    url: `http://${shownHost}:${port}${MCP_PATH}`,
    sessionCount: () => sessions.size,
    async close() {
      await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
      sessions.clear();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

function isAllowedHost(host: string | undefined, port: number, options: HttpServeOptions): boolean {
  if (!host) return false;
  const value = host.toLowerCase();
  const allowed = new Set([...LOOPBACK_HOSTNAMES.flatMap((h) => [h, `${h}:${port}`])]);
  if (!['127.0.0.1', 'localhost', '::1'].includes(options.host)) allowed.add(`${options.host}:${port}`);
  if (allowed.has(value)) return true;
  const name = value.replace(/:\d+$/, '');
  return (options.allowedHosts ?? []).some((entry) => {
    const wanted = entry.toLowerCase();
    return wanted === value || (!/:\d+$/.test(wanted) && wanted === name);
  });
}

function isAllowedOrigin(origin: string | undefined, port: number, options: HttpServeOptions): boolean {
  if (origin === undefined) return true; // Non-browser clients send no Origin.
  if (options.allowedOrigins?.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTNAMES.includes(url.hostname) && (url.port === '' || Number(url.port) === port);
  } catch {
    return false;
  }
}

const INVALID = Symbol('invalid');

async function readJson(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      sendError(res, 413, -32000, `request body over ${maxBytes} bytes`);
      req.destroy();
      return INVALID;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    sendError(res, 400, -32700, 'parse error: body is not JSON');
    return INVALID;
  }
}

function sendError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
