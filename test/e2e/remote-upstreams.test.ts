// Remote upstreams: server-everything from npm run as a Streamable HTTP server and as an SSE
// server on loopback, reached through cemcp by `url` (and `type: "sse"`).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, search, serverEntry, startStdioGateway, tempDir, type RunningGateway } from './harness.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startEverything(mode: 'streamableHttp' | 'sse'): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [serverEntry('@modelcontextprotocol/server-everything'), mode], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server-everything ${mode} did not start: ${seen}`)), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (/listening on port|running on port/i.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, port };
}

describe('remote upstreams', () => {
  const children: ChildProcess[] = [];
  let gateway: RunningGateway;

  beforeAll(async () => {
    const http = await startEverything('streamableHttp');
    const sse = await startEverything('sse');
    children.push(http.child, sse.child);
    const dir = tempDir();
    const config = path.join(dir, 'mcp.json');
    writeFileSync(config, JSON.stringify({
      mcpServers: {
        'remote-http': { type: 'http', url: `http://127.0.0.1:${http.port}/mcp`, headers: { 'X-Test': 'yes' } },
        'remote-default': { url: `http://127.0.0.1:${http.port}/mcp` },
        'remote-sse': { type: 'sse', url: `http://127.0.0.1:${sse.port}/sse` },
      },
    }));
    gateway = await startStdioGateway(config);
  });

  afterAll(async () => {
    await gateway?.close();
    for (const child of children) child.kill('SIGTERM');
  });

  it('lists the tools of each remote upstream under its own namespace', async () => {
    for (const server of ['remote-http', 'remote-default', 'remote-sse']) {
      const { text } = await search(gateway.client, { query: 'sum of two numbers', server, detail: 'name' });
      expect(text.split('\n')[0]).toBe(`${server.replace('-', '_')}.get_sum`);
    }
  });

  it('calls tools over Streamable HTTP and SSE from one program', async () => {
    const result = await execute(gateway.client, `
      const a = await remote_http.get_sum({ a: 1, b: 2 });
      const b = await remote_sse.get_sum({ a: 10, b: 20 });
      const c = await remote_default.echo({ message: 'hi' });
      return [a, b, c];
    `);
    expect(result.isError).toBe(false);
    expect(result.text).toMatch(/3/);
    expect(result.text).toMatch(/30/);
    expect(result.text).toMatch(/hi/);
  });
});
