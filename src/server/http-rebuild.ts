// Primes a new SDK transport + Server as an initialized session of a known id: the stored
// initialize request is replayed into the transport (its session id generator answers that id)
// and its answer discarded, then `notifications/initialized`. The Server so learns the client's
// capabilities and version as the first process did. Used by http.ts when a request names a
// session this process does not hold but the store knows (session-directory.ts).
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { InitializeParams } from './session-directory.js';

// Never a client's id: the SDK client numbers its requests.
const REPLAY_ID = 'cemcp-rebuild-initialize';
const REPLAY_URL = 'http://localhost/mcp';
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/**
 * The node transport is a thin wrapper over the web-standard one (SDK 1.2x/1.3x): that one takes a
 * Web `Request`, so a request can be replayed into it without a socket. Checked, not assumed.
 */
function webTransportOf(transport: StreamableHTTPServerTransport): WebStandardStreamableHTTPServerTransport {
  const web = (transport as unknown as { _webStandardTransport?: WebStandardStreamableHTTPServerTransport })._webStandardTransport;
  if (!web || typeof web.handleRequest !== 'function') {
    throw new Error('rebuilding a session: this version of @modelcontextprotocol/sdk has no web-standard transport inside StreamableHTTPServerTransport (cemcp was tested with 1.32)');
  }
  return web;
}

/** Replays the session's initialize into `transport` (connected to its Server); rejects when either step is refused. */
export async function primeInitialized(transport: StreamableHTTPServerTransport, sessionId: string, initialize: InitializeParams): Promise<void> {
  const web = webTransportOf(transport);
  const answer = await web.handleRequest(new Request(REPLAY_URL, {
    method: 'POST', headers: HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: REPLAY_ID, method: 'initialize', params: initialize }),
  }));
  // The answer is an SSE stream that ends once the Server answered: read to its end, then it is initialized.
  const text = await answer.text();
  if (answer.status !== 200 || !text.includes('"result"') || web.sessionId !== sessionId) {
    throw new Error(`rebuilding a session: the replayed initialize was answered ${answer.status}: ${text.slice(0, 300)}`);
  }
  const done = await web.handleRequest(new Request(REPLAY_URL, {
    method: 'POST', headers: { ...HEADERS, 'mcp-session-id': sessionId }, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  }));
  if (done.status !== 202) throw new Error(`rebuilding a session: notifications/initialized was answered ${done.status}: ${(await done.text()).slice(0, 300)}`);
}
