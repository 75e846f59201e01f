// Python declarations: the whole vendored mcp-popular catalog (24 real servers' tools/list) renders as
// a module python3 parses, runs and resolves every annotation of, at a token cost near the TypeScript
// rendering's; signatures for search hits; learned result types marked; names Python cannot write.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPython, type PythonCheck } from '../../test/support/python.js';
import { countTokens } from '../common/index.js';
import { buildOperations, Catalog, type ToolLike } from './catalog.js';
import { renderDeclarations } from './declarations.js';
import type { JsonSchema, Operation } from './operation.js';
import { renderPyDeclarations, renderPySignature } from './py-declarations.js';
import { renderHits } from './search-answer.js';
import { ShapeBook } from './shapes/book.js';
import { withLearnedShapes } from './shapes/overlay.js';

// Python's signatures cost at most this many times the TypeScript ones (it has no inline object
// types: every object is a named TypedDict). A ratchet on today's figures: lower it, never raise it.
const MAX_CATALOG_RATIO = 1.27;
const MAX_REFERENCE_RATIO = 1.31;
const MAX_SIGNATURE_RATIO = 1.1;

const CATALOG = new URL('../../eval/catalogs/mcp-popular.json.gz', import.meta.url);
const { servers } = JSON.parse(gunzipSync(readFileSync(CATALOG)).toString('utf8')) as { servers: { name: string; tools: ToolLike[] }[] };
const ops = buildOperations(servers.map((s) => ({ server: s.name, tools: s.tools })));
const find = (callName: string): Operation => {
  const found = ops.find((o) => o.callName === callName);
  if (!found) throw new Error(`no operation ${callName}`);
  return found;
};

function op(namespace: string, name: string, inputSchema: JsonSchema, extra: Partial<Operation> = {}): Operation {
  return { server: namespace, namespace, name, toolName: name, callName: `${namespace}.${name}`, description: '', inputSchema, ...extra };
}

const learned = (() => {
  const memory = Catalog.fromSources([{ server: 'memory', tools: [
    { name: 'read_graph', description: 'Read the entire knowledge graph', inputSchema: { type: 'object', properties: {} } },
  ] }]);
  const book = new ShapeBook();
  for (const value of [{ entities: [{ name: 'Ann', type: 'person' }], relations: [] }, { entities: [], relations: [{ from: 'Ann', to: 'Bob' }] }]) {
    book.observe(memory.operations[0]!, value);
  }
  return withLearnedShapes(memory, book).operations;
})();

const odd = [
  op('mail', 'from', { type: 'object', properties: { 'reply-to': { type: 'string' } }, required: ['reply-to'] }),
  op('mail', 'get$raw', { type: 'object', properties: {} }),
  op('mail', 'Send', { type: 'object', properties: { to: { type: 'string' } } }),
  op('mail', 'compose', { type: 'object', properties: { send: { type: 'object', properties: { x: { type: 'integer' } } } } }),
  op('mail', 'quote', { type: 'object', properties: {} }, { description: 'Quotes "x" from C:\\new\\table' }),
  op('lambda', 'run', { type: 'object', properties: { send: { type: 'object', properties: { x: { type: 'integer' } } } } }),
];

let checks: PythonCheck[] = [];
const module = renderPyDeclarations(ops);
beforeAll(() => {
  checks = checkPython([module, renderPyDeclarations(learned), renderPyDeclarations(odd)]);
});

describe('renderPyDeclarations on the mcp-popular catalog', () => {
  it('is a module python3 runs, with a TypedDict per object shape and an async method per operation, every annotation resolving', () => {
    expect(servers.length).toBeGreaterThanOrEqual(21);
    expect(checks[0]?.output).toMatch(/^ok /);
    expect(checks[0]?.methods).toBe(ops.length);
    expect(checks[0]?.typedDicts).toBeGreaterThan(300);
    expect(module.match(/^class \w+:$/gm)).toHaveLength(new Set(ops.map((o) => o.namespace)).size);
  });

  it(`costs at most ${MAX_CATALOG_RATIO}x the TypeScript declarations' tokens (${MAX_REFERENCE_RATIO}x for the 36 reference tools), full signatures ${MAX_SIGNATURE_RATIO}x`, () => {
    const ts = countTokens(renderDeclarations(ops));
    const py = countTokens(module);
    const three = ops.filter((o) => ['everything', 'memory', 'filesystem'].includes(o.namespace));
    const [ts36, py36] = [countTokens(renderDeclarations(three)), countTokens(renderPyDeclarations(three))];
    let [tsFull, pyFull] = [0, 0];
    for (const o of ops) {
      tsFull += countTokens(renderHits([o], 'full'));
      pyFull += countTokens(renderHits([o], 'full', 'python'));
    }
    console.log(`python signatures (o200k_base): cemcp types ${ops.length} tools TS ${ts} / Python ${py} (${(py / ts).toFixed(2)}x); `
      + `${three.length} reference tools TS ${ts36} / Python ${py36} (${(py36 / ts36).toFixed(2)}x); `
      + `search full, each tool: TS ${tsFull} / Python ${pyFull} (${(pyFull / tsFull).toFixed(2)}x)`);
    expect(three).toHaveLength(36);
    expect(py / ts).toBeLessThanOrEqual(MAX_CATALOG_RATIO);
    expect(py36 / ts36).toBeLessThanOrEqual(MAX_REFERENCE_RATIO);
    expect(pyFull / tsFull).toBeLessThanOrEqual(MAX_SIGNATURE_RATIO);
  });

  it('renders memory as a class of async methods taking one dict, shapes declared once, keys Python cannot spell in the functional form', () => {
    const memory = renderPyDeclarations(ops.filter((o) => o.namespace === 'memory'));
    expect(memory).toMatch(/^from __future__ import annotations\nfrom typing import Any, TypedDict\nclass ToolError\(Exception\): code: str; message: str; data: Any\nclass memory:\n/);
    expect(memory).toContain('    class Entity(TypedDict): name: str; entityType: str; observations: list[str]\n');
    expect(memory).toContain('    Relation = TypedDict("Relation", {"from": str, "to": str, "relationType": str})\n');
    expect(memory).toContain('    class ReadGraphResult(TypedDict): entities: list[Entity]; relations: list[Relation]\n');
    expect(memory).toContain('    async def read_graph(args: dict = {}) -> ReadGraphResult: "Read the entire knowledge graph"\n');
    expect(memory).toContain('    async def search_nodes(args: SearchNodesArgs) -> ReadGraphResult: "Search for nodes in the knowledge graph based on a query"\n');
    expect(memory.match(/class Entity\(/g)).toHaveLength(1);
  });

  it('names an enum that recurs in an upstream once', () => {
    const chart = renderPyDeclarations(ops.filter((o) => o.namespace === 'chart'));
    expect(chart).toContain('    Theme = Literal["default", "academy", "dark"]\n');
    expect(chart).not.toMatch(/: Literal\["default", "academy", "dark"\]/);
    expect(chart).toMatch(/theme: Theme/);
  });
});

describe('renderPySignature', () => {
  it('documents the arguments, the description and the result of a search hit', () => {
    expect(renderPySignature(find('memory.create_entities'))).toBe([
      'class Entity(TypedDict):',
      '    name: str  # The name of the entity',
      '    entityType: str  # The type of the entity',
      '    observations: list[str]  # An array of observation contents associated with the entity',
      'class CreateEntitiesArgs(TypedDict): entities: list[Entity]',
      '# Create multiple new entities in the knowledge graph',
      'async def memory.create_entities(args: CreateEntitiesArgs) -> CreateEntitiesArgs',
    ].join('\n'));
  });

  it('answers a search in Python when asked: the lead in full, the others as one line each with Python types', () => {
    const answer = renderHits([find('memory.search_nodes'), find('github.create_issue')], 'auto', 'python');
    expect(answer).toContain('class SearchNodesArgs(TypedDict):\n    query: str  # The search query to match against entity names, types, and observation content\n');
    expect(answer).toContain('async def memory.search_nodes(args: SearchNodesArgs) -> SearchNodesResult');
    expect(answer).toContain('\n\nAlso:\ngithub.create_issue({ "owner": str, "repo": str, "title": str, "body"?, ');
    expect(answer).toContain(' # Create a new issue in a GitHub repository');
    expect(renderHits([find('memory.search_nodes')], 'summary', 'python')).toBe('memory.search_nodes({ "query": str }) # Search for nodes in the knowledge graph based on a query');
    expect(renderHits([find('memory.search_nodes')], 'auto', 'typescript')).toContain('memory.search_nodes(args: {');
  });

  it('marks a result type learned from calls, in a signature and in the module', () => {
    expect(renderPySignature(learned[0]!)).toContain('# inferred from 2 calls\nclass ReadGraphResult(TypedDict): entities: list[Entity]; relations: list[Relation]\n');
    const text = renderPyDeclarations(learned);
    expect(text).toContain('    # inferred from 2 calls\n    class ReadGraphResult(TypedDict):');
    expect(text).toContain('async def read_graph(args: dict = {}) -> ReadGraphResult: "Read the entire knowledge graph"');
    expect(checks[1]?.output).toMatch(/^ok 3 1$/);
  });

  it('gives the OpenAPI route and cuts deep nesting past the character budget', () => {
    let deep: Record<string, unknown> = { type: 'string', description: 'x'.repeat(100) };
    for (let i = 0; i < 12; i++) deep = { type: 'object', description: 'level', properties: { [`k${i}`]: deep, [`v${i}`]: { type: 'string', description: 'y'.repeat(100) } } };
    const signature = renderPySignature(op('api', 'get_zone', deep, { method: 'GET', path: '/zones/{id}', description: 'Get a zone' }), { maxChars: 600 });
    expect(signature).toContain('# GET /zones/{id}\n# Get a zone\nasync def api.get_zone(args: GetZoneArgs = {}) -> Any');
    expect(signature).not.toContain('yyyy');
    expect(signature).toContain(': Any');
  });
});

describe('names Python cannot write', () => {
  it('renames keyword and $ names, says how to call them, and keeps the module valid', () => {
    const text = renderPyDeclarations(odd);
    expect(text).toContain('    async def from_(args: FromArgs): ...  # call as getattr(mail, "from")(args)');
    expect(text).toContain('    async def get_raw(args: dict = {}): ...  # call as getattr(mail, "get$raw")(args)');
    expect(text).toContain('    FromArgs = TypedDict("FromArgs", {"reply-to": str})');
    expect(text).toContain('class lambda_:  # the global "lambda": globals()["lambda"]');
    // A method named like a class it would shadow pushes the class to another name.
    expect(text).toContain('    class Send2(TypedDict, total=False): x: int');
    expect(text).toContain('class lambda_:  # the global "lambda": globals()["lambda"]\n    class Send(TypedDict, total=False): x: int');
    // A docstring is the doc line as a JSON string: quotes and backslashes escaped as Python reads them.
    expect(text).toContain('    async def quote(args: dict = {}): "Quotes \\"x\\" from C:\\\\new\\\\table"\n');
    expect(checks[2]?.output).toMatch(/^ok 6 6$/);
  });
});
