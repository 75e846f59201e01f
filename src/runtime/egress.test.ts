import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/index.js';
import { createQuickJsEngine } from '../sandbox/index.js';
import { createEgress, isPrivateAddress, type EgressPolicy, type EgressRule } from './egress.js';
import { outcomeInvoker } from '../upstream/index.js';
import { executeProgram, type RuntimeOptions } from './execute.js';
import { fetchNamespace } from './namespaces/index.js';

const SECRET = 'sk-live-do-not-leak';
let server: http.Server;
let origin: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/whoami') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ authorized: req.headers.authorization === `Bearer ${SECRET}`, host: req.headers.host, custom: req.headers['x-custom'] ?? null }));
    } else if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/whoami' }).end();
    } else if (url.pathname === '/loop') {
      res.writeHead(307, { location: '/loop' }).end();
    } else if (url.pathname === '/big') {
      res.end('x'.repeat(10_000));
    } else if (url.pathname === '/slow') {
      setTimeout(() => res.end('late'), 2_000);
    } else if (url.pathname === '/reflect') {
      // An origin that reflects the request headers in its body (escaped, PHP style) and in a response header.
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo-auth': String(req.headers.authorization) });
      res.end(JSON.stringify({ headers: req.headers, b64: Buffer.from(String(req.headers.authorization)).toString('base64') }).replace(/\//g, '\\/'));
    } else if (url.pathname === '/echo' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.end(JSON.stringify({ method: req.method, body })));
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const policy = (allow: EgressRule[], extra: Partial<EgressPolicy> = {}): EgressPolicy => ({ allow, timeoutMs: 1_000, maxResponseBytes: 5_000, maxRedirects: 3, ...extra });
const trusted = (): EgressRule => ({ origin, allowPrivateNetwork: true, headers: { Authorization: `Bearer ${SECRET}` } });

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', 'not-an-ip'])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700::1111'])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('createEgress', () => {
  it('refuses an origin that is not listed', async () => {
    await expect(createEgress(policy([])).request({ url: `${origin}/whoami` })).rejects.toMatchObject({ code: 'EGRESS_DENIED', message: `fetch refused: ${origin} is not in cemcp.fetch.allow` });
  });

  it('refuses a listed loopback origin unless it allows the private network', async () => {
    await expect(createEgress(policy([{ origin }])).request({ url: `${origin}/whoami` })).rejects.toMatchObject({ code: 'EGRESS_DENIED', message: expect.stringContaining('private or loopback') });
  });

  it('refuses a name that resolves to loopback, after DNS', async () => {
    const port = new URL(origin).port;
    const egress = createEgress(policy([{ origin: `http://localhost:${port}` }]));
    await expect(egress.request({ url: `http://localhost:${port}/whoami` })).rejects.toMatchObject({ code: 'EGRESS_DENIED', message: 'fetch refused: localhost resolves to a private or loopback address' });
  });

  it('refuses the cloud metadata address and non-http schemes', async () => {
    const egress = createEgress(policy([{ origin: 'http://169.254.169.254' }]));
    await expect(egress.request({ url: 'http://169.254.169.254/latest/meta-data/' })).rejects.toMatchObject({ code: 'EGRESS_DENIED' });
    await expect(egress.request({ url: 'file:///etc/passwd' })).rejects.toMatchObject({ code: 'EGRESS_DENIED', message: 'fetch refused: file: URLs are not allowed' });
  });

  it('injects the origin credentials, which override the program and never come back', async () => {
    const response = await createEgress(policy([trusted()])).request({
      url: `${origin}/whoami`, headers: { Authorization: 'Bearer guess', Host: 'evil.example', 'X-Custom': 'kept' },
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ authorized: true, host: new URL(origin).host, custom: 'kept' });
    expect(JSON.stringify(response)).not.toContain(SECRET);
  });

  it('redacts an origin that echoes the injected credential, in the body (any encoding) and in response headers', async () => {
    const response = await createEgress(policy([trusted()])).request({ url: `${origin}/reflect` });
    expect(response.status).toBe(200);
    expect(JSON.stringify(response)).not.toContain(SECRET);
    expect(JSON.stringify(response)).not.toContain(Buffer.from(`Bearer ${SECRET}`).toString('base64').slice(4, 20));
    expect(response.headers['x-echo-auth']).toBe('[SECRET]');
    expect(JSON.parse(response.body)).toMatchObject({ headers: { authorization: '[SECRET]' }, b64: '[SECRET]' });
  });

  it('re-checks every redirect against the allowlist', async () => {
    const egress = createEgress(policy([trusted()]));
    const same = await egress.request({ url: `${origin}/redirect?to=/whoami` });
    expect(same).toMatchObject({ status: 200, redirected: true, url: `${origin}/whoami` });
    await expect(egress.request({ url: `${origin}/redirect?to=http://169.254.169.254/latest` })).rejects.toMatchObject({ code: 'EGRESS_DENIED', message: 'fetch refused: http://169.254.169.254 is not in cemcp.fetch.allow' });
    await expect(egress.request({ url: `${origin}/loop` })).rejects.toMatchObject({ code: 'EGRESS_FAILED', message: 'fetch failed: more than 3 redirects' });
  });

  it('bounds the response size and the time', async () => {
    const egress = createEgress(policy([trusted()]));
    await expect(egress.request({ url: `${origin}/big` })).rejects.toMatchObject({ code: 'EGRESS_FAILED', message: 'fetch failed: response over 5000 bytes' });
    await expect(egress.request({ url: `${origin}/slow` })).rejects.toMatchObject({ code: 'EGRESS_FAILED', message: 'fetch failed: no complete answer within 1000 ms' });
  });
});

describe('fetch inside the sandbox', () => {
  const engine = createQuickJsEngine({ poolSize: 1 });
  afterAll(() => engine.close());
  const limits = { cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000, maxResultBytes: 100_000, maxToolCalls: 10, toolCallTimeoutMs: 2_000, maxConcurrentCalls: 4, maxToolResultBytes: 100_000 };
  const options = (withFetch: boolean): RuntimeOptions => ({
    engine, limits, maxTokens: 1_000,
    invoker: outcomeInvoker({ callTool: () => Promise.reject(new Error('no tools here')) }),
    ...(withFetch ? { namespaces: [fetchNamespace(createEgress(policy([trusted()])))] } : {}),
  });
  const catalog = Catalog.fromSources([]);

  it('has no fetch at all by default', async () => {
    const result = await executeProgram('return typeof fetch;', catalog, options(false));
    expect(result.text).toBe('undefined');
  });

  it('reaches an allowed origin with host-injected credentials the program cannot read', async () => {
    const code = `
      const r = await fetch('${origin}/whoami', { headers: { 'X-Custom': 'c' } });
      const posted = await (await fetch('${origin}/echo', { method: 'POST', body: { a: 1 } })).json();
      return { status: r.status, ok: r.ok, type: r.headers.get('Content-Type'), body: await r.json(), posted,
        seen: JSON.stringify(Object.getOwnPropertyNames(globalThis)) };
    `;
    const result = await executeProgram(code, catalog, options(true));
    expect(result.ok).toBe(true);
    const value = JSON.parse(result.text) as Record<string, unknown>;
    expect(value).toMatchObject({ status: 200, ok: true, type: 'application/json', body: { authorized: true, custom: 'c' }, posted: { method: 'POST', body: '{"a":1}' } });
    expect(result.text).not.toContain(SECRET);
  });

  it('throws a catchable ToolError for a refused URL', async () => {
    const result = await executeProgram(`try { await fetch('http://169.254.169.254/'); } catch (e) { return e.code + ': ' + e.message; }`, catalog, options(true));
    expect(result.text).toBe('EGRESS_DENIED: fetch refused: http://169.254.169.254 is not in cemcp.fetch.allow');
  });
});
