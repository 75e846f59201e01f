// Builds the SDK client transport for one configured upstream: stdio (spawned without a shell,
// with only the declared env on top of the SDK's minimal safe set), Streamable HTTP, or SSE.
// Imported by upstream/connection.ts only.
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isStdioServer, type RemoteServerConfig, type ServerConfig, type StdioServerConfig } from '../config/index.js';

export type TransportKind = 'stdio' | 'http' | 'sse';

export function transportKindOf(server: ServerConfig): TransportKind {
  if (isStdioServer(server)) return 'stdio';
  return server.type === 'sse' ? 'sse' : 'http';
}

/** A stdio transport whose stderr is piped so its last lines can explain a failure. */
export function createStdioTransport(server: StdioServerConfig): StdioClientTransport {
  return new StdioClientTransport({
    command: server.command,
    args: [...server.args],
    // The SDK adds only HOME, LOGNAME, PATH, SHELL, TERM and USER: the gateway's own secrets stay out.
    env: { ...(server.env ?? {}) },
    ...(server.cwd ? { cwd: server.cwd } : {}),
    stderr: 'pipe',
  });
}

export function createRemoteTransport(server: RemoteServerConfig, kind: 'http' | 'sse'): Transport {
  const url = new URL(server.url);
  const requestInit: RequestInit = server.headers ? { headers: { ...server.headers } } : {};
  if (kind === 'sse') {
    const headers = server.headers ?? {};
    return new SSEClientTransport(url, {
      requestInit,
      // The SSE GET stream is opened with fetch too; carry the same headers there.
      eventSourceInit: { fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...headers } }) },
    });
  }
  return new StreamableHTTPClientTransport(url, { requestInit });
}
