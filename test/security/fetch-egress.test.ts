// Escape battery, part 11: the sandbox's fetch with an allowlist. Loopback under other spellings,
// the cloud metadata address, an allowlisted name that resolves to loopback (DNS rebinding style),
// redirects out of the allowlist, credentials that must stay in the host, and size/time limits.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectServes, returns, runCase, startSecurityGateway, UPSTREAM_SECRET, type Case, type SecurityGateway } from './gateway.js';

interface TestServer {
  readonly port: number;
  readonly hits: string[];
  close(): Promise<void>;
}

/** A local HTTP server recording every request line and answering by path. */
async function startServer(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<TestServer> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const json = (res: http.ServerResponse, value: unknown): void => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

/** A fetch whose failure the program reports as [code, message]. */
const attempt = (url: string, init = '{}'): string => `try { const r = await fetch(${JSON.stringify(url)}, ${init}); return ['fetched', r.status, (await r.text()).slice(0, 200)]; }
  catch (e) { return [e.code ?? e.name, String(e.message).slice(0, 300)]; }`;

const refused = (code: 'EGRESS_DENIED' | 'EGRESS_FAILED') => (r: { text: string; isError: boolean }): void => {
  expect(r.isError, r.text).toBe(false);
  expect(JSON.parse(r.text)[0], r.text).toBe(code);
};

// Started at load time so that each case below, which names their ports, is its own test.
const internal = await startServer((_req, res) => json(res, { internal: 'reached' })); // never allowlisted: nothing may reach it
const other = await startServer((req, res) => json(res, { other: true, authorization: req.headers.authorization ?? null })); // allowlisted, no credential
const api = await startServer((req, res) => { // allowlisted, private network allowed, with a credential the host injects
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/whoami') return json(res, { sawCredential: req.headers.authorization === `Bearer ${UPSTREAM_SECRET}`, injected: req.headers['x-injected'] ?? null, headerNames: Object.keys(req.headers).sort() });
  if (url.pathname === '/redirect') {
    res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
    return res.end();
  }
  if (url.pathname === '/loop') {
    res.writeHead(302, { location: '/loop' });
    return res.end();
  }
  if (url.pathname === '/big') return json(res, 'b'.repeat(1 << 20));
  if (url.pathname === '/slow') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.write('partial'); // never ends
  }
  return json(res, { ok: true });
});
const apiOrigin = `http://127.0.0.1:${api.port}`;
const internalOrigin = `http://127.0.0.1:${internal.port}`;
const p = internal.port;

const cases: Case[] = [
  {
    name: 'an allowlisted origin gets the host-injected credential, which the program never sees',
    code: `const r = await fetch('${apiOrigin}/whoami'); const j = await r.json(); return [r.status, j.sawCredential, JSON.stringify(j).includes('Bearer')];`,
    expect: returns('[200,true,false]'),
  },
  {
    name: 'a program cannot replace the injected credential, nor inject a header with CR/LF',
    code: `const r = await fetch('${apiOrigin}/whoami', { headers: { Authorization: 'Bearer mine', 'X-Injected': 'a\\r\\nX-Evil: 1' } }); const j = await r.json();
      return [j.sawCredential, j.headerNames.includes('x-evil')];`,
    expect: returns('[true,false]'),
  },
  { name: 'a loopback port that is not allowlisted is refused', code: attempt(`${internalOrigin}/`), expect: refused('EGRESS_DENIED') },
  ...[`http://127.1:${p}/`, `http://0x7f.0.0.1:${p}/`, `http://2130706433:${p}/`, `http://[::1]:${p}/`, `http://[::ffff:127.0.0.1]:${p}/`, `http://0.0.0.0:${p}/`, `http://localhost.:${p}/`].map((url): Case => ({
    name: `loopback spelled ${url.slice(7, url.lastIndexOf(':'))} is refused`,
    code: attempt(url),
    expect: refused('EGRESS_DENIED'),
  })),
  { name: 'the cloud metadata address is refused', code: attempt('http://169.254.169.254/latest/meta-data/iam/security-credentials/'), expect: refused('EGRESS_DENIED') },
  { name: 'an allowlisted name that resolves to loopback is refused after DNS resolution', code: attempt(`http://localhost:${api.port}/whoami`), expect: refused('EGRESS_DENIED') },
  { name: 'a redirect from an allowlisted origin to a loopback port outside the list is refused', code: attempt(`${apiOrigin}/redirect?to=${encodeURIComponent(`${internalOrigin}/`)}`), expect: refused('EGRESS_DENIED') },
  { name: 'a redirect to the metadata address is refused', code: attempt(`${apiOrigin}/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`), expect: refused('EGRESS_DENIED') },
  { name: 'a redirect to a file: URL is refused', code: attempt(`${apiOrigin}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`), expect: refused('EGRESS_DENIED') },
  {
    name: 'a redirect to another allowlisted origin does not carry the first origin\'s credential',
    code: `const r = await fetch('${apiOrigin}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${other.port}/`)}'); const j = await r.json(); return [j.other, j.authorization];`,
    expect: returns('[true,null]'),
  },
  { name: 'an endless redirect loop ends at the redirect limit', code: attempt(`${apiOrigin}/loop`), expect: refused('EGRESS_FAILED') },
  { name: 'a response over the size limit is refused', code: attempt(`${apiOrigin}/big`), expect: refused('EGRESS_FAILED') },
  { name: 'a response that never ends times out', code: attempt(`${apiOrigin}/slow`), expect: refused('EGRESS_FAILED') },
  { name: 'credentials in the URL are refused', code: attempt(`http://user:pass@127.0.0.1:${api.port}/whoami`), expect: refused('EGRESS_DENIED') },
  ...['file:///etc/passwd', 'data:text/plain,hi', 'ftp://127.0.0.1/', 'not a url'].map((url): Case => ({ name: `fetch(${JSON.stringify(url)}) is refused`, code: attempt(url), expect: refused('EGRESS_DENIED') })),
  { name: 'methods outside the plain HTTP set (CONNECT) are refused', code: attempt(`${apiOrigin}/whoami`, `{ method: 'CONNECT' }`), expect: refused('EGRESS_DENIED') },
  {
    name: 'calling the reserved fetch namespace directly meets the same policy',
    code: `const ns = Object.getOwnPropertyNames(globalThis).find((k) => k.startsWith('__cemcp')); if (!ns) return 'no reserved global';
      try { await globalThis[ns].request({ url: '${internalOrigin}/', method: 'GET', headers: {}, body: null }); return 'reached'; } catch (e) { return e.code; }`,
    expect: (r) => expect(r.text).toMatch(/^(EGRESS_DENIED|no reserved global)$/),
  },
];

describe('escape battery: fetch and its egress allowlist', () => {
  let gateway: SecurityGateway;

  beforeAll(async () => {
    gateway = await startSecurityGateway({
      upstreams: ['fixture'],
      settings: {
        fetch: {
          allow: [
            { origin: apiOrigin, allowPrivateNetwork: true, headers: { authorization: 'Bearer ${CEMCP_TEST_UPSTREAM_SECRET}' } },
            { origin: `http://127.0.0.1:${other.port}`, allowPrivateNetwork: true },
            // Allowlisted by name but not for private addresses: it resolves to loopback, as a rebinding name would.
            { origin: `http://localhost:${api.port}` },
          ],
          timeoutMs: 1_000,
          maxResponseBytes: 64 * 1024,
          maxRedirects: 3,
        },
      },
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([api, other, internal].map((s) => s.close()));
  });

  for (const c of cases) it(c.name, () => runCase(gateway, c));

  it('no request ever reached the server outside the allowlist', async () => {
    expect(internal.hits).toEqual([]);
    await expectServes(gateway);
  });
});
