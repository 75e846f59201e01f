import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from './load.js';

const FILE = '/cfg/mcp.json';
const KEY = randomBytes(32).toString('base64');
const OLD = randomBytes(32).toString('base64');
const parse = (store: unknown, env: Record<string, string> = {}) => parseConfigText(JSON.stringify({ cemcp: { store } }), FILE, env).cemcp.store;
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect((e as { code: string }).code).toBe('CONFIG_INVALID');
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}

describe('cemcp.store', () => {
  it('is memory by default', () => {
    expect(parseConfigText('{}', FILE, {}).cemcp.store).toEqual({ type: 'memory' });
    expect(parse({ type: 'memory' })).toEqual({ type: 'memory' });
  });

  it('reads redis with its URL and keys from the environment, and defaults for the rest', () => {
    expect(parse({ type: 'redis' }, { REDIS_URL: 'redis://10.0.0.5:6379', CEMCP_STORE_KEY: KEY })).toEqual({
      type: 'redis', url: 'redis://10.0.0.5:6379', keyPrefix: 'cemcp:', encryptionKeys: [KEY], connectTimeoutMs: 2_000, commandTimeoutMs: 1_000,
    });
  });

  it('keeps older keys for reading and skips one that expands to ""', () => {
    const store = { type: 'redis', url: 'redis://r:6379', encryptionKeys: ['${NEW_KEY}', '${OLD_KEY:-}'] };
    expect(parse(store, { NEW_KEY: KEY, OLD_KEY: OLD })).toMatchObject({ encryptionKeys: [KEY, OLD] });
    expect(parse(store, { NEW_KEY: KEY })).toMatchObject({ encryptionKeys: [KEY] });
  });

  it('says how to make a key when there is none, and refuses a bad one naming its path', () => {
    const missing = messageOf(() => parse({ type: 'redis', url: 'redis://r:6379' }));
    expect(missing).toContain('cemcp.store.encryptionKeys.0: environment variable CEMCP_STORE_KEY is not set');
    expect(missing).toContain('openssl rand -base64 32');
    expect(messageOf(() => parse({ type: 'redis', url: 'redis://r:6379', encryptionKeys: ['${K}'] }, { K: randomBytes(16).toString('base64') })))
      .toContain('cemcp.store.encryptionKeys.0: decodes to 16 bytes, AES-256 needs 32; make one with: openssl rand -base64 32');
    expect(messageOf(() => parse({ type: 'redis', url: 'redis://r:6379', encryptionKeys: ['${K}'] }, { K: 'not a key!' })))
      .toContain('cemcp.store.encryptionKeys.0: not base64');
    expect(messageOf(() => parse({ type: 'redis', url: 'redis://r:6379', encryptionKeys: ['${K:-}'] })))
      .toContain('cemcp.store.encryptionKeys: every key expands to ""');
    expect(messageOf(() => parse({ type: 'redis', url: 'redis://r:6379', encryptionKeys: [] }))).toContain('cemcp.store.encryptionKeys: expected at least one key');
  });

  it('refuses a key written into the config file itself', () => {
    expect(messageOf(() => parse({ type: 'redis', url: 'redis://r:6379', encryptionKeys: [KEY] })))
      .toContain('cemcp.store.encryptionKeys.0: write the key as ${VARIABLE} and set it in the environment');
  });

  it('names the path of a bad URL, type, prefix or unknown key', () => {
    const env = { CEMCP_STORE_KEY: KEY };
    expect(messageOf(() => parse({ type: 'redis' }, env))).toContain('cemcp.store.url: environment variable REDIS_URL is not set');
    expect(messageOf(() => parse({ type: 'redis', url: 'http://r:6379' }, env))).toContain('cemcp.store.url: expected a redis:// or rediss:// URL');
    expect(messageOf(() => parse({ type: 'postgres' }))).toContain('cemcp.store.type');
    expect(messageOf(() => parse({ type: 'redis', url: 'redis://r', keyPrefix: 'a b*' }, env))).toContain('cemcp.store.keyPrefix: expected up to 64 letters');
    expect(messageOf(() => parse({ type: 'redis', url: 'redis://r', commandTimeout: 5 }, env))).toContain('cemcp.store.commandTimeout: unknown key "commandTimeout" (did you mean "commandTimeoutMs"?)');
  });
});
