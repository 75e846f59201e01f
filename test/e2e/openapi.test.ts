// The whole path for an OpenAPI source: the SDK client -> `cemcp serve` (stdio) -> a real HTTP API
// on loopback whose spec is fetched by URL. Credentials come from the gateway's environment and
// are injected by the host; programs never see them. `cemcp types` output compiles with tsc.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PETS_TOKEN, startPetsServer, type PetsServer } from '../fixtures/openapi/pets-server.js';
import { CLI, ROOT, execute, search, startStdioGateway, tempDir, type RunningGateway } from './harness.js';

const run = promisify(execFile);
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

describe('OpenAPI source through cemcp serve', () => {
  let api: PetsServer;
  let gateway: RunningGateway;
  let dir: string;
  let configFile: string;

  beforeAll(async () => {
    api = await startPetsServer();
    dir = tempDir('cemcp-openapi-');
    configFile = path.join(dir, 'mcp.json');
    writeFileSync(configFile, JSON.stringify({
      mcpServers: {},
      openapi: {
        pets: {
          spec: `${api.url}/openapi.yaml`, baseUrl: '${PETS_URL}', auth: { type: 'bearer', token: '${PETS_TOKEN}' },
          exclude: { operations: ['big'] }, timeoutMs: 500,
        },
      },
      cemcp: { surface: { inlineApiMaxTokens: 0 } },
    }));
    gateway = await startStdioGateway(configFile, { PETS_TOKEN, PETS_URL: api.baseUrl });
  });

  afterAll(async () => {
    await gateway?.close();
    await api?.close();
  });

  it('finds operations by words, path and tag, with typed signatures', async () => {
    const created = await search(gateway.client, { query: 'create a pet' });
    expect(created.text.split('\n\n')[0]).toMatch(/POST \/pets[\s\S]*pets\.createPet\(args: \{[\s\S]*body: \{[\s\S]*name: string/);
    const byPath = await search(gateway.client, { query: 'things parts', detail: 'name' });
    expect(byPath.text.split('\n')[0]).toBe('pets.get_things_id_parts');
    const admin = await search(gateway.client, { query: '', tag: 'admin', detail: 'name' });
    expect(admin.text).toBe('pets.deletePet');
    const cli = await run(process.execPath, [CLI, 'search', '--config', configFile, '--tag', 'admin', '--detail', 'name', 'pet'], {
      env: { PATH: process.env.PATH ?? '', PETS_TOKEN, PETS_URL: api.baseUrl },
    });
    expect(cli.stdout.trim()).toBe('pets.deletePet');
    // serve counts the OpenAPI source among its upstreams.
    expect(gateway.stderr()).toMatch(/1 of 1 upstreams ready, \d+ tools/);
    const excluded = await search(gateway.client, { query: 'large body', detail: 'name' });
    expect(excluded.text).not.toContain('pets.big');
  });

  it('runs a program whose calls reach the API with the host-injected token', async () => {
    const { text, isError } = await execute(gateway.client, `
      const added = await pets.createPet({ body: { name: 'Kit', tag: 'cat' } });
      const cats = await pets.listPets({ tag: ['cat'] });
      const one = await pets.get_pet({ petId: added.id });
      return { added: added.name, cats: cats.map((p) => p.name), one: one.name, text: await pets.getText() };`);
    expect(isError).toBe(false);
    expect(JSON.parse(text)).toEqual({ added: 'Kit', cats: ['Tom', 'Kit'], one: 'Kit', text: 'hello, pets' });
    expect(api.seen.filter((r) => r.url.startsWith('/v1/')).every((r) => r.headers.authorization === `Bearer ${PETS_TOKEN}`)).toBe(true);
  });

  it('never lets a program read the credential', async () => {
    const { text } = await execute(gateway.client, `
      const seen = [];
      const echo = await pets.echoRequest();
      seen.push(JSON.stringify(echo));
      seen.push(JSON.stringify(Object.getOwnPropertyNames(globalThis)));
      for (const key of Object.getOwnPropertyNames(pets)) seen.push(key, String(pets[key]));
      try { await pets.get_pet({ petId: 12345 }); } catch (e) { seen.push(e.message, JSON.stringify(e.data ?? null)); }
      seen.push(typeof process, typeof fetch === 'function' ? 'fetch' : 'nofetch');
      return seen.join('\\n');`);
    expect(text).toContain('[SECRET]');
    expect(text).not.toContain(PETS_TOKEN);
  });

  it('throws a catchable ToolError with the HTTP status, and names bad arguments', async () => {
    const { text } = await execute(gateway.client, `
      const out = [];
      try { await pets.get_pet({ petId: 404 }); } catch (e) { out.push(e.code + ' ' + e.message); }
      try { await pets.get_pet({ petId: 'abc' }); } catch (e) { out.push(e.code + ' ' + e.message); }
      try { await pets.createPet({ body: { tag: 'x' } }); } catch (e) { out.push(e.code + ' ' + e.message); }
      try { await pets.slow(); } catch (e) { out.push(e.code); }
      return out; // @ts-nocheck: wrong arguments on purpose, for the host's own validation`);
    const [notFound, badType, missing, slow] = JSON.parse(text) as string[];
    expect(notFound).toMatch(/^TOOL_ERROR pets\.get_pet: HTTP 404 Not Found from GET \/pets\/\{petId\}: \{"code":404,"message":"no pet 404"/);
    expect(notFound!.length).toBeLessThan(2_200); // the 10 kB body is bounded
    expect(badType).toMatch(/^ARGUMENT_INVALID pets\.get_pet: field "petId" must be integer/);
    expect(missing).toMatch(/^ARGUMENT_INVALID pets\.createPet: missing required field "body\.name"/);
    expect(slow).toBe('UPSTREAM_TIMEOUT');
  });

  it('prints declarations for the source that tsc accepts, recursive types included', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'types', '--config', configFile], { env: { PATH: process.env.PATH ?? '', PETS_TOKEN, PETS_URL: api.baseUrl } });
    expect(stdout).toContain('declare namespace pets {');
    expect(stdout).toMatch(/type Node = \{ name\?: string; children\?: Node\[\] \};/);
    expect(stdout).not.toContain(PETS_TOKEN);
    const file = path.join(dir, 'api.d.ts');
    writeFileSync(file, stdout);
    await run(process.execPath, [TSC, '--noEmit', '--strict', '--lib', 'es2022', '--types', 'node', file], { cwd: ROOT });
  });
});
