import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedis, type LocalRedis } from './local-servers.js';

/** One raw RESP command, to test the helper without the client under test. */
async function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => { resolve(data.toString().trim()); socket.end(); });
    socket.once('error', reject);
  });
}

describe('startRedis', () => {
  let redis: LocalRedis | undefined;
  afterAll(() => redis?.stop());

  it('starts a real redis-server on loopback, stops it, and brings it back on the same port', async () => {
    redis = await startRedis();
    expect(await ping(redis.port)).toBe('+PONG');
    await redis.stop();
    await expect(ping(redis.port)).rejects.toThrow(/ECONNREFUSED/);
    await redis.start();
    expect(await ping(redis.port)).toBe('+PONG');
  });
});
