import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { allowsLevel, sendClientLog, trackLogLevel } from './live-output.js';

describe('client logging level', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function connect(): Promise<{ server: Server; client: Client; received: string[] }> {
    const server = new Server({ name: 's', version: '1' }, { capabilities: { logging: {} } });
    trackLogLevel(server);
    const client = new Client({ name: 'c', version: '1' });
    const received: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void received.push(`${n.params.level} ${String(n.params.data)}`));
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(a), client.connect(b)]);
    closers.push(() => client.close());
    return { server, client, received };
  }

  it('sends every level until the client chooses one, then only that level and above', async () => {
    const { server, client, received } = await connect();
    expect(allowsLevel(server, 'debug')).toBe(true);
    sendClientLog(server, { level: 'debug', logger: 't', data: 'one' });
    await client.setLoggingLevel('warning');
    expect([allowsLevel(server, 'info'), allowsLevel(server, 'warning'), allowsLevel(server, 'emergency')]).toEqual([false, true, true]);
    sendClientLog(server, { level: 'info', logger: 't', data: 'two' });
    sendClientLog(server, { level: 'error', logger: 't', data: 'three' });
    await client.ping(); // notifications sent before this round trip have arrived
    expect(received).toEqual(['debug one', 'error three']);
  });

  it('keeps each session its own level', async () => {
    const first = await connect();
    const second = await connect();
    await first.client.setLoggingLevel('error');
    expect(allowsLevel(first.server, 'warning')).toBe(false);
    expect(allowsLevel(second.server, 'warning')).toBe(true);
  });
});
