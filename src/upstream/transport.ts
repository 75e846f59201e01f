// Builds the client transport for one configured upstream: stdio (our bounded transport, no shell,
// only the declared env on top of PATH/HOME), Streamable HTTP or SSE (SDK, with bounded bodies).
// Imported by upstream/connection.ts only.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { createBoundedFetch } from './bounded-fetch.js';
import { BoundedStdioTransport } from './stdio-transport.js';
import { isStdioServer, type RemoteServerConfig, type ServerConfig, type StdioServerConfig } from '../config/index.js';

export type TransportKind = 'stdio' | 'http' | 'sse';

export function transportKindOf(server: ServerConfig): TransportKind {
  if (isStdioServer(server)) return 'stdio';
  return server.type === 'sse' ? 'sse' : 'http';
}

/** A stdio transport: no shell, exactly the declared env on top of PATH/HOME, bounded messages. */
export function createStdioTransport(
  server: StdioServerConfig,
  inheritedEnv: Readonly<Record<string, string>>,
  maxMessageBytes: number,
  onStderrLine: (line: string) => void,
): BoundedStdioTransport {
  return new BoundedStdioTransport({
    command: server.command,
    args: server.args,
    env: { ...inheritedEnv, ...(server.env ?? {}) },
    cwd: server.cwd,
    maxMessageBytes,
    onStderrLine,
  });
}

/** The remote transports (and their HTTP, SSE and OAuth modules) load when a remote upstream connects, not at start-up. */
export async function createRemoteTransport(server: RemoteServerConfig, kind: 'http' | 'sse', maxBodyBytes: number): Promise<Transport> {
  const url = new URL(server.url);
  const requestInit: RequestInit = server.headers ? { headers: { ...server.headers } } : {};
  const boundedFetch = createBoundedFetch(maxBodyBytes);
  if (kind === 'sse') {
    const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
    const headers = server.headers ?? {};
    return new SSEClientTransport(url, {
      requestInit,
      fetch: boundedFetch,
      // The SSE GET stream is opened with fetch too; carry the same headers there.
      eventSourceInit: { fetch: (input, init) => boundedFetch(input, { ...init, headers: { ...init?.headers, ...headers } }) },
    });
  }
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  return new StreamableHTTPClientTransport(url, { requestInit, fetch: boundedFetch });
}
