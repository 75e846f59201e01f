// `cemcp search|exec --url URL`: asks a running `cemcp serve --http` through the official SDK's
// Streamable HTTP client instead of starting every upstream again. Writes the tool's text answer;
// a tool error sets exit code 1. Imported by cli/main.ts only.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { UpstreamError, UsageError, describeError } from '../common/index.js';

export type RemoteRequest =
  | { readonly tool: 'search'; readonly args: Readonly<Record<string, unknown>> }
  | { readonly tool: 'execute'; readonly args: { readonly code: string } };

const CLIENT_INFO = { name: 'cemcp-cli', version: '0.1.0' };

export async function runRemoteCommand(url: string, request: RemoteRequest, write: (text: string) => void): Promise<void> {
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch {
    throw new UsageError('USAGE', `--url: "${url}" is not a URL; expected e.g. http://127.0.0.1:8787/mcp`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new UsageError('USAGE', `--url: expected an http(s) URL such as http://127.0.0.1:8787/mcp, got ${endpoint.protocol}`);
  }
  const client = new Client(CLIENT_INFO);
  try {
    await client.connect(new StreamableHTTPClientTransport(endpoint));
  } catch (error) {
    throw new UpstreamError('UPSTREAM_UNAVAILABLE',
      `--url: no cemcp gateway answered at ${endpoint.href} (${describeError(error)}); start one with \`cemcp serve --config FILE --http --port ${endpoint.port || 8787}\``,
      {}, { cause: error });
  }
  try {
    const args = Object.fromEntries(Object.entries(request.args).filter(([, v]) => v !== undefined));
    const result = (await client.callTool({ name: request.tool, arguments: args }, undefined, { timeout: 600_000 })) as CallToolResult;
    const text = (result.content ?? []).map((c) => (c.type === 'text' ? c.text : JSON.stringify(c))).join('\n');
    write(`${text}\n`);
    if (result.isError) process.exitCode = 1;
  } finally {
    await client.close().catch(() => undefined);
  }
}
