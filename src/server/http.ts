// Streamable HTTP at /mcp (MCP 2025-06-18): one SDK transport and Server per session, 404 for an
// unknown, ended or expired session id, Host and Origin checked against DNS rebinding
// (http-host-check.ts), bound to loopback unless told otherwise, bounded request bodies, a cap on
// live sessions (503) and idle expiry (http-sessions.ts). Requests are authenticated by the
// `authenticate` hook (server/auth/) before any session is touched, and a session answers only the
// principal that created it: any other principal gets the same 404 as an unknown id. Imported by
// cli/ through server/index.ts.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
// Type only: the transport (and the web server framework under it) loads when HTTP is served, not for stdio.
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { describeError, LOCAL_PRINCIPAL, readBoundedBody, samePrincipal, type Logger, type Principal } from '../common/index.js';
import type { HttpDrain } from './http-drain.js';
import { isAllowedHost, isAllowedOrigin } from './http-host-check.js';
import { primeInitialized } from './http-rebuild.js';
import { HttpSessionTable, type SessionSlot } from './http-sessions.js';
import { activeRuns, keepStoredOnClose } from './mcp-server.js';
import { openPrincipalSession, type PrincipalCaps, type SessionLease } from './principal-caps.js';
import type { InitializeParams, SessionDirectory } from './session-directory.js';

export interface HttpServeOptions {
  readonly host: string;
  readonly port: number;
  /** Extra Host header values to accept (e.g. the public name a reverse proxy forwards): `name` matches any port, `name:port` that port. */
  readonly allowedHosts?: readonly string[];
  /** Extra Origin values to accept; loopback origins are always accepted. */
  readonly allowedOrigins?: readonly string[];
  readonly maxBodyBytes?: number;
  /** A session with no request for this long is closed (cemcp.sessions.idleTimeoutMs); absent: never. */
  readonly idleTimeoutMs?: number;
  /** Live sessions at once (cemcp.sessions.maxSessions); a new initialize past it gets 503. Absent: no cap. */
  readonly maxSessions?: number;
  /**
   * Decides who a request to /mcp acts for, or refuses it (401/403 with its headers). Absent:
   * every request is the local principal (loopback, or --insecure-no-auth).
   */
  readonly authenticate?: (req: IncomingMessage) => Promise<AuthOutcome>;
  /** Other paths served (health, metrics, OAuth metadata), before Host/Origin checks and authentication: each checks what it needs. */
  readonly routes?: ReadonlyMap<string, HttpRoute>;
  /** Graceful drain (SIGTERM): counts requests in flight; once started, new sessions and requests get 503. */
  readonly drain?: HttpDrain;
  /** Per-principal caps (cemcp.principals): a new session past the principal's maxSessions gets 429. Absent: none. */
  readonly principalCaps?: PrincipalCaps;
  /**
   * Sessions recorded in the shared store (session-directory.ts): a session id this process does not
   * hold but the store knows, for the same principal, is rebuilt here (several processes behind a
   * load balancer). Closing a session (DELETE, idle expiry) removes it; this process stopping does not.
   */
  readonly directory?: SessionDirectory;
}

export type AuthOutcome =
  | { readonly ok: true; readonly principal: Principal }
  /** The request is refused as is: a status (401, 403), headers (WWW-Authenticate) and a JSON-RPC error message. */
  | { readonly ok: false; readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly message: string };

export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpGateway {
  readonly url: string;
  readonly sessionCount: () => number;
  close(): Promise<void>;
}

const MCP_PATH = '/mcp';
const DEFAULT_MAX_BODY_BYTES = 4 << 20;

interface Session {
  readonly transport: StreamableHTTPServerTransport;
  readonly server: Server;
  readonly principal: Principal;
  readonly lease: SessionLease;
}

/** What a new session is made for: its `mcp-session-id` (names its data in a shared store) and the principal it is bound to. */
export interface NewSession {
  readonly sessionId: string;
  readonly principal: Principal;
}

export async function serveHttp(createServer: (session: NewSession) => Server, options: HttpServeOptions, logger: Logger): Promise<HttpGateway> {
  const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
  const sessions = new HttpSessionTable<Session>({
    ...(options.maxSessions !== undefined ? { maxSessions: options.maxSessions } : {}),
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    isBusy: (session) => activeRuns(session.server) > 0,
    onExpire(id, session) {
      logger.log('debug', `http: session ${id} expired after ${options.idleTimeoutMs ?? 0} ms idle (cemcp.sessions.idleTimeoutMs)`);
      const close = () => session.transport.close().catch(() => undefined);
      if (!directory) return void close();
      // Used meanwhile through another process (or the store cannot tell): only this copy goes.
      directory.idleEverywhere(id, options.idleTimeoutMs ?? 0).then((idle) => idle || letGo(session), () => letGo(session)).finally(close);
    },
  });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { directory } = options;
  const rebuilding = new Map<string, Promise<Session | undefined>>();
  /** Copies let go of (this process stops, or the session lives on elsewhere): their close keeps what is stored and counted. */
  const lettingGo = new WeakSet<Session>();
  const letGo = (session: Session) => {
    lettingGo.add(session);
    keepStoredOnClose(session.server);
  };
  let port = options.port;

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.log('error', `http: ${describeError(error)}`);
      if (!res.headersSent) sendError(res, 500, -32603, 'internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = options.routes?.get(url.pathname);
    if (route) return route(req, res);
    if (url.pathname !== MCP_PATH) return sendError(res, 404, -32601, `not found: the MCP endpoint is ${MCP_PATH}`);
    if (req.method === 'POST') options.drain?.track(res);
    if (!isAllowedHost(req.headers.host, port, options)) return sendError(res, 403, -32000, 'forbidden: Host header not allowed (start cemcp with --allowed-host NAME to accept it)');
    if (!isAllowedOrigin(req.headers.origin, port, options)) return sendError(res, 403, -32000, 'forbidden: Origin not allowed (start cemcp with --allowed-origin URL to accept it)');

    const auth: AuthOutcome = options.authenticate ? await options.authenticate(req) : { ok: true, principal: LOCAL_PRINCIPAL };
    if (!auth.ok) {
      req.resume(); // the body is not read: let the socket be reused
      res.writeHead(auth.status, { ...auth.headers, 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: auth.message }, id: null }));
      return;
    }
    const { principal } = auth;

    const requested = req.headers['mcp-session-id'];
    if (typeof requested === 'string') {
      let session = sessions.get(requested);
      if (session && directory && !(await directory.exists(requested).catch(() => true))) {
        // Closed through another process (DELETE there) or expired in the store: this copy goes too.
        letGo(session);
        sessions.delete(requested);
        session.transport.close().catch(() => undefined);
        session = undefined;
      }
      if (!session && directory) {
        const rebuilt = await rebuildOnce(requested, principal).then((value) => ({ value }), (error: unknown) => ({ error }));
        if ('error' in rebuilt) return sendUnavailable(req, res, rebuilt.error);
        session = rebuilt.value;
      }
      // Another principal's session id is answered as if it did not exist: nothing tells it apart.
      if (!session || !samePrincipal(session.principal, principal)) return sendError(res, 404, -32001, SESSION_NOT_FOUND);
      session.lease.renew();
      directory?.used(requested).catch((error: unknown) => logger.log('debug', `http: marking session ${requested} used: ${describeError(error)}`));
      // A request in flight (a running execute) keeps the session alive; an open GET stream does not.
      const done = sessions.begin(requested);
      if (req.method === 'GET') done();
      else res.once('close', done);
      const body = req.method === 'POST' ? await readJson(req, res, maxBodyBytes) : undefined;
      if (body === INVALID) return;
      if (options.drain?.refuses(req.method, body)) return options.drain.refuse(res, body);
      return session.transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST') return sendError(res, 400, -32000, 'bad request: no session id');
    const body = await readJson(req, res, maxBodyBytes);
    if (body === INVALID) return;
    if (options.drain?.refuses(req.method, body)) return options.drain.refuse(res, body);
    if (!isInitializeRequest(body)) return sendError(res, 400, -32000, 'bad request: no session id, and not an initialize request');
    const requestId = (body as { id?: string | number }).id ?? null;
    const slot = sessions.reserve();
    if (!slot) return sendError(res, 503, -32000, tooManySessions(options.maxSessions), requestId);

    const sessionId = randomUUID();
    // The principal's own cap (429: this client's quota, not the gateway's capacity, is spent).
    const place = await openPrincipalSession(options.principalCaps, principal, sessionId);
    if (!place.ok) {
      slot.release();
      return sendError(res, place.status, -32000, place.message, requestId);
    }
    try {
      // Recorded before the id is handed out: any process sharing the store can serve it from the first answer on.
      await directory?.create(sessionId, principal, initializeParams(body));
    } catch (error) {
      slot.release();
      place.lease.release().catch(() => undefined);
      return sendError(res, 503, -32000, `${describeError(error)}. No session was opened.`, requestId);
    }
    const session = openSession(sessionId, principal, place.lease, slot);
    try {
      await session.server.connect(session.transport);
      await session.transport.handleRequest(req, res, body);
    } finally {
      slot.release(); // an initialize that failed gives its place back (a committed one already did)
      if (!sessions.get(sessionId)) place.lease.release().catch(() => undefined);
    }
  }

  function openSession(sessionId: string, principal: Principal, lease: SessionLease, slot: SessionSlot<Session>): Session {
    const server = createServer({ sessionId, principal });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => sessionId,
      onsessioninitialized: (id) => {
        slot.commit(id, session);
      },
    });
    const session: Session = { transport, server, principal, lease };
    transport.onclose = () => {
      slot.release();
      // A copy let go of leaves the session's place counted: the session goes on elsewhere.
      if (!lettingGo.has(session)) {
        lease.release().catch((error: unknown) => logger.log('error', `http: a session's place under cemcp.principals.maxSessions was not given back (its lease expires): ${describeError(error)}`));
      }
      if (transport.sessionId) {
        if (sessions.get(transport.sessionId) === session) sessions.delete(transport.sessionId);
        directory?.forget(transport.sessionId);
      }
      server.close().catch(() => undefined);
    };
    return session;
  }

  /** A session the store knows and this process does not: a new transport + Server primed as initialized. One rebuild per id at a time. */
  function rebuildOnce(sessionId: string, principal: Principal): Promise<Session | undefined> {
    let pending = rebuilding.get(sessionId);
    if (!pending) {
      pending = rebuild(sessionId, principal).finally(() => rebuilding.delete(sessionId));
      rebuilding.set(sessionId, pending);
    }
    return pending;
  }

  async function rebuild(sessionId: string, principal: Principal): Promise<Session | undefined> {
    const record = await directory!.find(sessionId, principal);
    if (!record) return undefined;
    const slot = sessions.reserve();
    if (!slot) throw new SessionsFull(tooManySessions(options.maxSessions));
    // The session's place under the principal's cap is its own (the same lease), already counted.
    const place = await openPrincipalSession(options.principalCaps, principal, sessionId);
    if (!place.ok) {
      slot.release();
      throw new SessionsFull(place.message);
    }
    const session = openSession(sessionId, principal, place.lease, slot);
    try {
      await session.server.connect(session.transport);
      await primeInitialized(session.transport, sessionId, record.initialize);
    } catch (error) {
      letGo(session); // the failure is this copy's: the stored session stands
      await session.transport.close().catch(() => undefined);
      throw error;
    } finally {
      slot.release();
    }
    logger.log('debug', `http: session ${sessionId} rebuilt from the store (${directory!.kind})`);
    return sessions.get(sessionId);
  }

  function sendUnavailable(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    req.resume();
    logger.log('warning', `http: ${describeError(error)}`);
    const message = error instanceof SessionsFull ? error.message : `${describeError(error)}. The session was not served; try again.`;
    sendError(res, 503, -32000, message);
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
      const open = sessions.values();
      // Other processes sharing the store serve these sessions on: stopping here removes nothing stored.
      for (const session of open) letGo(session);
      sessions.close();
      await Promise.all(open.map((s) => s.transport.close().catch(() => undefined)));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

class SessionsFull extends Error {}

function tooManySessions(max: number | undefined): string {
  return `too many sessions: this gateway serves at most ${max ?? 0} live sessions (cemcp.sessions.maxSessions). `
    + 'Close a session you no longer use (HTTP DELETE with its mcp-session-id), wait for an idle one to expire (cemcp.sessions.idleTimeoutMs), or raise cemcp.sessions.maxSessions.';
}

/** What a rebuilt session replays: the initialize request's params as the client sent them. */
function initializeParams(body: unknown): InitializeParams {
  const { protocolVersion, capabilities, clientInfo } = (body as { params: InitializeParams }).params;
  return { protocolVersion, capabilities: capabilities ?? {}, clientInfo };
}

const SESSION_NOT_FOUND = 'session not found: it ended, or expired after cemcp.sessions.idleTimeoutMs without a request; initialize a new session';

const INVALID = Symbol('invalid');

async function readJson(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<unknown> {
  // 413 is answered before the request stream is destroyed.
  const body = await readBoundedBody(req, maxBytes, { onOver: () => sendError(res, 413, -32000, `request body over ${maxBytes} bytes`) });
  if (!body) return INVALID;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    sendError(res, 400, -32700, 'parse error: body is not JSON');
    return INVALID;
  }
}

function sendError(res: ServerResponse, status: number, code: number, message: string, id: string | number | null = null): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id }));
}
