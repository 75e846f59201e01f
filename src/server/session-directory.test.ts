import { describe, expect, it } from 'vitest';
import { LOCAL_PRINCIPAL, type Principal } from '../common/index.js';
import { createMemorySessionStore, Session } from '../session/index.js';
import { createSessionDirectory, storeSessionId } from './session-directory.js';

const ada: Principal = { subject: 'ada', scopes: ['mcp'], source: 'oauth', issuer: 'https://id.example' };
const init = { protocolVersion: '2025-06-18', capabilities: { elicitation: {} }, clientInfo: { name: 'c', version: '1' } };

describe('session directory', () => {
  it('finds a session for the principal that made it only', async () => {
    const store = createMemorySessionStore();
    const directory = createSessionDirectory(store);
    await directory.create('sid-1', ada, init);
    expect(await directory.find('sid-1', { ...ada, scopes: [] })).toEqual({ principal: JSON.stringify(['oauth', 'https://id.example', 'ada']), initialize: init });
    expect(await directory.find('sid-1', { ...ada, issuer: 'https://other.example' })).toBeUndefined();
    expect(await directory.find('sid-1', LOCAL_PRINCIPAL)).toBeUndefined();
    expect(await directory.find('sid-2', ada)).toBeUndefined();
  });

  it('writes "used" at most every quarter of the idle time, and tells a session used elsewhere from an idle one', async () => {
    let now = 1_000_000;
    const store = createMemorySessionStore({ now: () => now });
    const a = createSessionDirectory(store, { idleMs: 4_000, ttlMs: 10_000, now: () => now });
    const b = createSessionDirectory(store, { idleMs: 4_000, ttlMs: 10_000, now: () => now });
    await a.create('sid', ada, init);
    const id = storeSessionId('http', 'sid');
    const active = async () => (await store.get(id, 'mcp-session-active'))?.value;
    now += 500;
    await a.used('sid');
    expect(await active()).toBe(1_000_000); // within a quarter of idleMs: not written
    now += 3_600; // A saw nothing for 4.1 s: idle everywhere
    expect(await a.idleEverywhere('sid', 4_000)).toBe(true);
    await b.used('sid'); // B serves it now
    expect(await active()).toBe(now);
    expect(await a.idleEverywhere('sid', 4_000)).toBe(false);
    // The store's expiry is renewed with each write: ttlMs after the last one.
    now += 9_999;
    expect(await store.keys(id)).toContain('mcp-session');
    now += 2;
    expect(await store.keys(id)).toEqual([]);
  });

  it('keeps its keys out of reach of a program\'s records', async () => {
    const store = createMemorySessionStore();
    await createSessionDirectory(store).create('sid', ada, init);
    const session = new Session({ id: storeSessionId('http', 'sid'), transport: 'http', store });
    await expect(session.records.write('mcp-session', { principal: 'x' })).rejects.toThrow('session key "mcp-session" is kept by the session itself');
    expect(await session.records.keys()).toEqual([]);
  });
});
