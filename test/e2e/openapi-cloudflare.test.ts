// Cloudflare's real OpenAPI spec (1,533 operations, ~1M tokens) behind cemcp: the operation count,
// `cemcp types` output that tsc accepts, search that finds known operations, a call routed to a
// loopback stand-in for the API with the token injected, and the measured figures.
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureOpenApi, OPENAPI_PROBES } from '../../bench/openapi-bench.js';
import { Catalog } from '../../src/catalog/index.js';
import { OpenApiSourceSchema } from '../../src/config/index.js';
import { createOpenApiSource } from '../../src/upstream/index.js';
import { checkPython } from '../support/python.js';
import { CLI, ROOT, tempDir } from './harness.js';

const run = promisify(execFile);
const SPEC = path.resolve(ROOT, 'eval/specs/cloudflare.json.gz');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const TOKEN = 'cf-test-token-0123456789';

describe('the Cloudflare spec', () => {
  let server: Server;
  let baseUrl: string;
  let configFile: string;
  let dir: string;
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const env = () => ({ PATH: process.env.PATH ?? '', CF_API_TOKEN: TOKEN, CF_BASE: baseUrl });

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success: true, errors: [], messages: [], result: [{ id: 'r1', type: 'A', name: 'example.com', content: '192.0.2.1' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
    dir = tempDir('cemcp-cloudflare-');
    configFile = path.join(dir, 'mcp.json');
    writeFileSync(configFile, JSON.stringify({
      mcpServers: {},
      openapi: { cloudflare: { spec: SPEC, baseUrl: '${CF_BASE}', auth: { type: 'bearer', token: '${CF_API_TOKEN}' } } },
    }));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('yields 1,533 operations, and search ranks known ones in the top 3', async () => {
    const source = await createOpenApiSource('cloudflare', OpenApiSourceSchema.parse({ spec: SPEC }));
    expect(source.tools).toHaveLength(1533);
    const catalog = Catalog.fromSources([{ server: 'cloudflare', tools: source.tools }]);
    for (const { query, expect: name } of OPENAPI_PROBES) {
      expect(catalog.search(query, { limit: 3 }).map((h) => h.operation.name), query).toContain(name);
    }
    expect(catalog.search('', { tag: 'DNS Records for a Zone', limit: 50 }).length).toBeGreaterThan(5);
  });

  it('prints `cemcp types` output that tsc --noEmit accepts', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'types', '--config', configFile], { env: env(), maxBuffer: 64 << 20 });
    expect(stdout).toContain('function dns_records_for_a_zone_list_dns_records(args: {');
    expect(stdout.match(/^ {2}function /gm)).toHaveLength(1533);
    const file = path.join(dir, 'cloudflare.d.ts');
    writeFileSync(file, stdout);
    await run(process.execPath, [TSC, '--noEmit', '--strict', '--lib', 'es2022', '--types', 'node', file], { cwd: ROOT });
  });

  it('prints `cemcp types --language python` output that python3 runs, every annotation resolving', { timeout: 180_000 }, async () => {
    const { stdout } = await run(process.execPath, [CLI, 'types', '--config', configFile, '--language', 'python'], { env: env(), maxBuffer: 64 << 20 });
    expect(stdout).toContain('    async def dns_records_for_a_zone_list_dns_records(args: DnsRecordsForAZoneListDnsRecordsArgs) -> ');
    const check = checkPython(stdout);
    expect(check.output).toMatch(/^ok /);
    expect(check.methods).toBe(1533);
  });

  it('answers `cemcp search` and runs a program against the API with the token injected by the host', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'search', '--config', configFile, '--limit', '3', 'purge cache'], { env: env() });
    expect(stdout).toContain('cloudflare.zone_purge(');
    const program = `
      const r = await cloudflare.dns_records_for_a_zone_list_dns_records({ zone_id: '023e105f4ecef8ad9ca31a8372d0c353', type: 'A', per_page: 5 });
      let bad = '';
      try { await cloudflare.dns_records_for_a_zone_list_dns_records({ zone_id: 'z', per_page: 'many' }); } catch (e) { bad = e.code + ': ' + e.message; }
      return { names: r.result.map((x) => x.name), bad }; // @ts-nocheck: a wrong argument on purpose, for the host's validation`;
    const exec = await run(process.execPath, [CLI, 'exec', '--config', configFile, program], { env: env() });
    const out = JSON.parse(exec.stdout) as { names: string[]; bad: string };
    expect(out.names).toEqual(['example.com']);
    expect(out.bad).toMatch(/^ARGUMENT_INVALID: .*field "per_page" must be number/);
    expect(seen.at(-1)?.url).toBe('/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/dns_records?type=A&per_page=5');
    expect(seen.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(exec.stdout).not.toContain(TOKEN);
  });

  it('serves ~1M tokens of spec through two small tools and bounded search answers', async () => {
    const figures = await measureOpenApi(SPEC);
    expect(figures.operations).toBe(1533);
    expect(figures.specTokens).toBeGreaterThan(1_000_000);
    expect(figures.toolDefinitionTokens).toBeLessThan(400);
    expect(figures.searchAnswerTokens).toBeLessThan(3_000);
    expect(figures.probesTop3).toBe(`${OPENAPI_PROBES.length}/${OPENAPI_PROBES.length}`);
    expect(figures.indexBuildMs).toBeLessThan(5_000);
  });
});
