// An upstream MCP server over Streamable HTTP (the official SDK, stateless) that records the
// headers of every request it receives: tests assert what the gateway does and does not forward
// (never a client's access token). One tool, `whoami`, echoes its argument.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

export interface RecordingUpstream {
  readonly url: string;
  /** Headers of every request received so far. */
  readonly requests: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const requests: IncomingHttpHeaders[] = [];
  const httpServer = http.createServer((req, res) => {
    requests.push({ ...req.headers });
    const server = new Server({ name: 'recording', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: [{ name: 'whoami', description: 'Echoes a note back with the upstream name', inputSchema: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'] } }],
    }));
    server.setRequestHandler(CallToolRequestSchema, async (request) => ({
      content: [{ type: 'text', text: JSON.stringify({ upstream: 'recording', note: request.params.arguments?.note }) }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close().then(() => server.close()));
    server.connect(transport).then(() => transport.handleRequest(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`,
    requests,
    async close() {
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
