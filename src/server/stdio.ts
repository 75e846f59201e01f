// Serves one MCP session over stdin/stdout. Stdout carries only protocol messages; resolves when
// the client closes the stream. Imported by cli/ through server/index.ts.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

export async function serveStdio(server: Server): Promise<{ closed: Promise<void> }> {
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    const previous = server.onclose;
    server.onclose = () => {
      previous?.();
      resolve();
    };
    process.stdin.once('end', resolve);
  });
  await server.connect(transport);
  return { closed };
}
