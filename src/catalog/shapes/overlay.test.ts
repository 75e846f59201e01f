// Learned shapes over a catalog and in its declarations: declared outputSchemas are never replaced
// (checked on the vendored 21-server mcp-popular catalog), inferred types carry their mark in
// `search` signatures and `cemcp types`, and tsc reads them as closed object types.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { typecheckDeclarations } from '../../../test/support/typecheck.js';
import { Catalog, type ToolLike } from '../catalog.js';
import { renderDeclarations, renderSignature } from '../declarations.js';
import { ShapeBook } from './book.js';
import { declaredOnly, withLearnedShapes } from './overlay.js';

const workDir = mkdtempSync(join(tmpdir(), 'cemcp-shapes-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const memory = Catalog.fromSources([{ server: 'memory', tools: [
  { name: 'read_graph', description: 'Read the entire knowledge graph', inputSchema: { type: 'object', properties: {} } },
  { name: 'get_sum', description: 'Adds two numbers', inputSchema: { type: 'object' }, outputSchema: { type: 'object', properties: { sum: { type: 'number' } } } },
] }]);
const graph1 = { entities: [{ name: 'Ann', entityType: 'person', observations: ['likes tea'] }], relations: [] };
const graph2 = { entities: [], relations: [{ from: 'Ann', to: 'Bob', relationType: 'knows' }] };

function learned(): Catalog {
  const book = new ShapeBook();
  for (const value of [graph1, graph2]) for (const op of memory.operations) book.observe(op, value);
  return withLearnedShapes(memory, book);
}

describe('withLearnedShapes', () => {
  it('gives an undeclared result its learned shape, marked inferred, and leaves declared ones alone', () => {
    const catalog = learned();
    const [readGraph, getSum] = catalog.operations;
    expect(readGraph?.inferred).toEqual({ calls: 2 });
    expect(readGraph?.outputSchema).toMatchObject({ type: 'object', required: ['entities', 'relations'] });
    expect(getSum).toBe(memory.operations[1]);
    expect(withLearnedShapes(memory, new ShapeBook())).toBe(memory);
    expect(declaredOnly(catalog.operations)).toEqual(memory.operations);
  });

  it('never replaces a declared outputSchema of the mcp-popular catalog', () => {
    const file = new URL('../../../eval/catalogs/mcp-popular.json.gz', import.meta.url);
    const { servers } = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { servers: { name: string; tools: ToolLike[] }[] };
    const catalog = Catalog.fromSources(servers.map((s) => ({ server: s.name, tools: s.tools })));
    expect(servers.length).toBeGreaterThanOrEqual(21);
    const book = new ShapeBook();
    for (const op of catalog.operations) book.observe(op, { content: [{ type: 'text', text: 'x' }], ok: true });
    const overlaid = withLearnedShapes(catalog, book);
    const declared = catalog.operations.filter((op) => op.outputSchema);
    expect(declared.length).toBeGreaterThan(0);
    overlaid.operations.forEach((op, i) => {
      const before = catalog.operations[i]!;
      if (before.outputSchema) expect(op).toBe(before);
      else expect(op.inferred).toEqual({ calls: 1 });
    });
    expect(book.size).toBe(catalog.operations.length - declared.length);
    expect(typecheckDeclarations(renderDeclarations(overlaid.operations), workDir)).toEqual([]);
  });
});

describe('inferred result types in declarations', () => {
  it('marks the result type in a full signature', () => {
    const text = renderSignature(learned().operations[0]!, 'full');
    expect(text).toContain('/** inferred from 2 calls */\ntype ReadGraphResult = { entities: { name: string; entityType: string; observations: string[] }[]; relations: { from: string; to: string; relationType: string }[] };');
    expect(text).toContain('memory.read_graph(args?: {}): Promise<ReadGraphResult>');
    expect(renderSignature(memory.operations[0]!, 'full')).not.toContain('inferred');
  });

  it('declares it in the namespace for `cemcp types`, as closed types tsc checks programs against', () => {
    const dts = renderDeclarations(learned().operations);
    expect(dts).toContain('  /** inferred from 2 calls */\n  type ReadGraphResult = {');
    expect(dts).toContain('function read_graph(args?: {}): Promise<ReadGraphResult>;');
    expect(typecheckDeclarations(dts, workDir)).toEqual([]);
    const use = (body: string) => typecheckDeclarations(`${dts}\ndeclare const g: Awaited<ReturnType<typeof memory.read_graph>>;\n${body}\n`, workDir);
    expect(use("type Name = (typeof g)['entities'][number]['name'];")).toEqual([]);
    expect(use("type Name = (typeof g)['entities'][number]['nmae'];").join('\n')).toContain("Property 'nmae' does not exist");
    expect(use("type Filter = (typeof g)['filter'];").join('\n')).toContain("Property 'filter' does not exist");
  });
});
