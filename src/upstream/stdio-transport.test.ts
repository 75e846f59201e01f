import { describe, expect, it } from 'vitest';
import { BoundedStdioTransport } from './stdio-transport.js';

function launch(script: string, extra: Partial<ConstructorParameters<typeof BoundedStdioTransport>[0]> = {}) {
  return new BoundedStdioTransport({ command: process.execPath, args: ['-e', script], env: { PATH: process.env.PATH ?? '' }, maxMessageBytes: 1024, ...extra });
}

describe('BoundedStdioTransport', () => {
  it('gives the child exactly the declared environment, and no shell', async () => {
    const transport = launch(
      'console.log(JSON.stringify({ jsonrpc: "2.0", method: "env", params: { keys: Object.keys(process.env).sort(), shell: process.argv0 } }))',
      { env: { ONLY_THIS: '1', PATH: process.env.PATH ?? '' } },
    );
    const message = new Promise((resolve) => (transport.onmessage = resolve));
    await transport.start();
    expect(await message).toMatchObject({ method: 'env', params: { keys: ['ONLY_THIS', 'PATH'] } });
    await transport.close();
  });

  it('closes the connection on a message over the byte limit instead of buffering it', async () => {
    const transport = launch('process.stdout.write("x".repeat(5000)); setInterval(() => {}, 1000)');
    const errors: string[] = [];
    transport.onerror = (e) => errors.push(e.message);
    const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
    await transport.start();
    await closed;
    expect(errors).toContain('upstream message over 1024 bytes; closing the connection');
    expect(transport.exitDescription).toMatch(/killed by SIGTERM|exited/);
  });

  it('reports lines that are not JSON-RPC and keeps reading', async () => {
    const transport = launch('console.log("garbage"); console.log(JSON.stringify({ jsonrpc: "2.0", method: "ok" }))');
    const errors: string[] = [];
    transport.onerror = (e) => errors.push(e.message);
    const message = new Promise((resolve) => (transport.onmessage = resolve));
    await transport.start();
    expect(await message).toMatchObject({ method: 'ok' });
    expect(errors).toEqual(['upstream wrote a line that is not a JSON-RPC message']);
    await transport.close();
  });

  it('passes stderr lines on and says how the child exited', async () => {
    const lines: string[] = [];
    const transport = launch('console.error("first"); console.error("second"); process.exit(7)', { onStderrLine: (l) => lines.push(l) });
    const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
    await transport.start();
    await closed;
    expect(lines).toEqual(['first', 'second']);
    expect(transport.exitDescription).toBe('exited 7');
  });
});
