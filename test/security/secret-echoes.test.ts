// Escape battery: credentials that come back. A real HTTP API (OpenAPI sources with bearer, header,
// query and basic credentials, and an allowlisted fetch origin) echoes the request in every
// encoding — JSON, PHP `\/`, `\uXXXX`, URL and form encoding, HTML entities, base64/base64url, a
// binary body, response headers, error bodies cut at 2,000 characters — and a stdio upstream
// returns its own secret-named env. No secret, in any encoding or in part, reaches the program's
// output, the audit log or the gateway's stderr.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeLayer } from '../../src/privacy/echo-decoding.js';
import { base64Patterns } from '../../src/privacy/secret-redactor.js';
import { execute, serverEntry, startStdioGateway, tempDir, type RunningGateway } from '../e2e/harness.js';
import { ECHO_MODES, startEchoServer, type EchoServer } from '../fixtures/openapi/echo-server.js';

const id = randomUUID().slice(0, 8);
const SECRETS = {
  bearer: `oa/abc~!+${id}`,
  header: `xk_${id}/=`,
  query: `q~k!y *'(${id}) é`,
  basic: `p@ss~w0rd!${id}`,
  fetch: `fx/${id}~!`,
  env: `env-tok-${id}`,
};

/** True when `text` carries `secret`, or 8 characters of it in a row, in any encoding (decoded up to 4 layers, or base64). */
function leaks(text: string, secret: string): boolean {
  const pieces = new Set<string>();
  for (let i = 0; i + 8 <= secret.length; i++) pieces.add(secret.slice(i, i + 8));
  let layer = text;
  for (let depth = 0; depth < 5; depth++) {
    for (const piece of pieces) if (layer.includes(piece) || layer.includes(piece.replace(/ /g, '+'))) return true;
    if (base64Patterns(Buffer.from(secret)).some((p) => layer.includes(p))) return true;
    layer = decodeLayer(layer);
  }
  return false;
}

const expectNoEcho = (text: string, where: string): void => {
  for (const [name, secret] of Object.entries(SECRETS)) expect(leaks(text, secret), `${where} leaks the ${name} secret: ${text.slice(0, 2_000)}`).toBe(false);
};

describe('escape battery: credentials an API echoes back', () => {
  let api: EchoServer;
  let gateway: RunningGateway;
  let auditDir: string;
  const liveLines: string[] = [];

  beforeAll(async () => {
    api = await startEchoServer();
    const dir = tempDir('cemcp-echoes-');
    auditDir = path.join(dir, 'audit');
    const spec = `${api.origin}/openapi.json`;
    const configFile = path.join(dir, 'mcp.json');
    writeFileSync(configFile, JSON.stringify({
      mcpServers: {
        everything: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-everything'), 'stdio'], env: { EVERYTHING_API_TOKEN: SECRETS.env } },
      },
      openapi: {
        echo: { spec, baseUrl: api.baseUrl, auth: { type: 'bearer', token: '${ECHO_TOKEN}' }, headers: { 'X-Api-Key': SECRETS.header } },
        echoq: { spec, baseUrl: api.baseUrl, auth: { type: 'query', name: 'key', value: SECRETS.query } },
        echob: { spec, baseUrl: api.baseUrl, auth: { type: 'basic', username: 'ada', password: SECRETS.basic } },
      },
      cemcp: {
        fetch: { allow: [{ origin: api.origin, allowPrivateNetwork: true, headers: { authorization: `Bearer ${SECRETS.fetch}` } }] },
        audit: { dir: auditDir },
      },
    }), { mode: 0o600 });
    gateway = await startStdioGateway(configFile, { ECHO_TOKEN: SECRETS.bearer });
    gateway.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      if (n.params.logger === 'cemcp.console') liveLines.push(String(n.params.data));
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await api?.close();
  });

  for (const source of ['echo', 'echoq', 'echob']) {
    for (const mode of ECHO_MODES) {
      it(`${source}: an echo of the credential as ${mode} reaches the program redacted`, async () => {
        const r = await execute(gateway.client, `return await ${source}.echo({ mode: '${mode}' });`);
        expect(r.isError, r.text).toBe(false);
        expectNoEcho(r.text, `${source} ${mode}`);
        // The credential was sent and came back: the output shows where it was redacted.
        const shown = mode === 'binary' ? Buffer.from(JSON.parse(r.text).data as string, 'base64').toString('latin1') : r.text;
        expect(decodeLayer(decodeLayer(decodeLayer(shown))) + Buffer.from(shown.match(/"echo":"([^"]+)"/)?.[1]?.replace(/\\\//g, '/') ?? '', 'base64').toString()).toContain('[SECRET]');
      });
    }
  }

  it('the credential reached the API in every request (the echoes above were real)', () => {
    const echoes = api.seen.filter((r) => r.url.startsWith('/echo'));
    expect(echoes.length).toBeGreaterThanOrEqual(3 * ECHO_MODES.length);
    expect(echoes.some((r) => r.headers.authorization === `Bearer ${SECRETS.bearer}` && r.headers['x-api-key'] === SECRETS.header)).toBe(true);
    expect(echoes.some((r) => new URL(r.url, 'http://x').searchParams.get('key') === SECRETS.query)).toBe(true);
    expect(echoes.some((r) => r.headers.authorization === `Basic ${Buffer.from(`ada:${SECRETS.basic}`).toString('base64')}`)).toBe(true);
  });

  it('error messages (HTTP 401 bodies, PHP-escaped, the credential across the 2,000-character cut) are redacted before they are cut', async () => {
    const r = await execute(gateway.client, `
      const out = [];
      for (const source of [echo, echoq, echob]) {
        for (let pad = 1850; pad <= 2000; pad += 10) {
          try { await source.fail({ pad }); out.push('no error'); } catch (e) { out.push(e.code + ' ' + e.message.slice(-90)); }
        }
      }
      return out;`);
    expect(r.isError, r.text).toBe(false);
    const lines = JSON.parse(r.text) as string[];
    expect(lines.every((line) => line.startsWith('TOOL_ERROR '))).toBe(true);
    expectNoEcho(r.text, 'error messages');
  });

  it('an uncaught error carrying an echo ends the run without the credential (and so does its audit record)', async () => {
    const r = await execute(gateway.client, `await echo.fail({ pad: 10 });`);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/HTTP 401 Unauthorized from GET \/fail: .*invalid credentials: (Bearer )?\[SECRET\] for/);
    expectNoEcho(r.text, 'uncaught error');
  });

  for (const mode of ECHO_MODES) {
    it(`fetch: an allowlisted origin echoing the injected credential as ${mode} (body and response headers) is redacted`, async () => {
      const r = await execute(gateway.client, `
        const res = await fetch('${api.origin}/echo?mode=${mode}');
        return { status: res.status, auth: res.headers.get('x-echo-authorization'), body: (await res.text()).slice(0, 3000) };`);
      expect(r.isError, r.text).toBe(false);
      expect(JSON.parse(r.text)).toMatchObject({ status: 200, auth: '[SECRET]' });
      expectNoEcho(r.text, `fetch ${mode}`);
    });
  }

  it('a stdio upstream\'s own secret-named env variable does not reach the model', async () => {
    const r = await execute(gateway.client, `return JSON.stringify(await everything.get_env({}));`);
    expect(r.isError, r.text).toBe(false);
    expect(r.text).toContain('EVERYTHING_API_TOKEN');
    expect(r.text).toContain('[SECRET]');
    expectNoEcho(r.text, 'get_env');
  });

  it('console lines streamed while the run goes on carry no credential either', async () => {
    const r = await execute(gateway.client, `
      for (const mode of ${JSON.stringify(ECHO_MODES)}) console.log(mode, JSON.stringify(await echo.echo({ mode })));
      console.log(JSON.stringify(await everything.get_env({})));
      return 'logged';`);
    expect(r.isError, r.text).toBe(false);
    expect(liveLines.length).toBe(ECHO_MODES.length + 1);
    expect(liveLines.join('\n')).toContain('[SECRET]');
    expectNoEcho(liveLines.join('\n'), 'live console lines');
  });

  it('the audit log and the gateway\'s stderr hold no credential either', async () => {
    const files = readdirSync(auditDir).filter((f) => f.endsWith('.jsonl'));
    expect(files.length).toBeGreaterThan(0);
    const audit = files.map((f) => readFileSync(path.join(auditDir, f), 'utf8')).join('\n');
    expect(audit).toContain('"errorCode"');
    expectNoEcho(audit, 'the audit log');
    expectNoEcho(gateway.stderr(), 'the gateway stderr');
  });
});
