// Spec loading and operation extraction on the pets fixture: naming, argument layout, refs,
// filters, Swagger 2.0 refusal, size bounds.
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PETS_SPEC_FILE } from '../../../test/fixtures/openapi/pets-server.js';
import { extractOperations, methodPathName } from './extract.js';
import { loadSpec, parseSpecText } from './spec-loader.js';
import type { OpenApiDocument } from './types.js';

const load = async () => (await loadSpec(PETS_SPEC_FILE, 'test', { maxBytes: 1 << 20 })).document;
const byName = (doc: OpenApiDocument, options = {}) => new Map(extractOperations(doc, options).map((op) => [op.toolName, op]));

describe('loadSpec', () => {
  it('reads YAML and hashes the text', async () => {
    const spec = await loadSpec(PETS_SPEC_FILE, 'test', { maxBytes: 1 << 20 });
    expect(spec.document.openapi).toBe('3.0.3');
    expect(spec.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads gzipped JSON and bounds the decompressed size', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cemcp-spec-'));
    const file = path.join(dir, 'spec.json.gz');
    writeFileSync(file, gzipSync(JSON.stringify({ openapi: '3.1.0', info: {}, paths: {}, pad: 'x'.repeat(5000) })));
    expect((await loadSpec(file, 'test', { maxBytes: 1 << 20 })).document.openapi).toBe('3.1.0');
    await expect(loadSpec(file, 'mcp.json: openapi.big', { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'OPENAPI_SPEC_INVALID', message: expect.stringContaining('mcp.json: openapi.big: spec larger than 1000 bytes'),
    });
  });

  it('refuses a missing file with the place in the message', async () => {
    await expect(loadSpec('/nonexistent/spec.json', 'mcp.json: openapi.x', { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'OPENAPI_SPEC_INVALID', message: expect.stringContaining('mcp.json: openapi.x: cannot read spec /nonexistent/spec.json'),
    });
  });

  it('refuses Swagger 2.0 with a clear error, and anything not OpenAPI 3', () => {
    expect(() => parseSpecText('{"swagger":"2.0","paths":{}}', 'mcp.json: openapi.old')).toThrow(/openapi\.old: Swagger 2\.0 is not supported; convert it to OpenAPI 3/);
    expect(() => parseSpecText('openapi: 4.0.0\npaths: {}\n', 'here')).toThrow(/expected "openapi": "3\.0\.x" or "3\.1\.x"/);
    expect(() => parseSpecText('{ nope', 'here')).toThrow(/here: not valid JSON or YAML/);
  });
});

describe('extractOperations', () => {
  it('names operations by operationId, else by method and path words', async () => {
    const ops = byName(await load());
    expect([...ops.keys()]).toEqual(['listPets', 'createPet', 'get-pet', 'deletePet', 'get_things_id_parts', 'echoRequest', 'slow', 'big', 'getText']);
    expect(methodPathName('get', '/zones/{zone_id}/dns_records')).toBe('get_zones_zone_id_dns_records');
  });

  it('lays parameters out as top-level fields and the request body under `body`', async () => {
    const ops = byName(await load());
    const list = ops.get('listPets')!;
    expect(list.method).toBe('GET');
    expect(list.tags).toEqual(['pets']);
    expect(Object.keys(list.inputSchema['properties'] as object)).toEqual(['limit', 'tag', 'X-Request-Id']);
    expect((list.inputSchema['properties'] as Record<string, { description?: string }>)['limit']?.description).toBe('How many to return');
    expect(list.inputSchema['additionalProperties']).toBe(false);
    const create = ops.get('createPet')!;
    expect(create.inputSchema['required']).toEqual(['body']);
    expect((create.inputSchema['properties'] as Record<string, unknown>)['body']).toEqual({ $ref: '#/components/schemas/NewPet' });
    expect(create.body).toEqual({ mediaType: 'application/json', required: true });
    // Path-level parameters apply; path parameters are always required.
    expect(ops.get('get-pet')!.inputSchema['required']).toEqual(['petId']);
  });

  it('renames a parameter whose name is taken by its location prefix', async () => {
    const parts = byName(await load()).get('get_things_id_parts')!;
    expect(parts.parameters.map((p) => [p.arg, p.in, p.name])).toEqual([['id', 'path', 'id'], ['query_id', 'query', 'id']]);
  });

  it('takes the lowest 2xx response as the result and keeps component refs resolvable', async () => {
    const ops = byName(await load());
    const get = ops.get('get-pet')!;
    expect(get.outputSchema?.['$ref']).toBe('#/components/schemas/Pet');
    // The components ride along for validators and the TS renderer, but never serialize.
    expect(get.outputSchema?.['components']).toBeDefined();
    expect(JSON.stringify(get.outputSchema)).toBe('{"$ref":"#/components/schemas/Pet"}');
    expect(ops.get('deletePet')!.outputSchema?.['type']).toBe('null');
    expect(ops.get('getText')!.outputSchema?.['type']).toBe('string');
  });

  it('drops parameters the host injects (auth headers, query keys)', async () => {
    const list = byName(await load(), { injectedHeaders: ['x-request-id'] }).get('listPets')!;
    expect(Object.keys(list.inputSchema['properties'] as object)).toEqual(['limit', 'tag']);
  });

  it('filters by tag, path glob and operationId', async () => {
    const doc = await load();
    expect([...byName(doc, { include: { tags: ['PETS'] } }).keys()]).toEqual(['listPets', 'createPet', 'get-pet']);
    expect([...byName(doc, { include: { paths: ['/pets/*'] } }).keys()]).toEqual(['get-pet', 'deletePet']);
    expect([...byName(doc, { include: { paths: ['/things/**'] }, exclude: {} }).keys()]).toEqual(['get_things_id_parts']);
    // Operation filters match operationIds: an operation without one is matched by tag or path only.
    expect([...byName(doc, { exclude: { tags: ['debug', 'admin'], operations: ['get*'] } }).keys()]).toEqual(['listPets', 'createPet', 'get_things_id_parts']);
  });
});
