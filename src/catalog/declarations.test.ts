// Declarations over the real tool lists of server-everything, server-memory and server-filesystem
// (fetched through the official SDK Client over stdio): tsc must accept the .d.ts, and it must stay
// within the DESIGN.md budget of 1,800 o200k_base tokens for those 36 tools.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typecheckDeclarations } from '../../test/support/typecheck.js';
import { toIdentifier } from '../common/identifiers.js';
import { firstSentence, renderDeclarations, renderSignature } from './declarations.js';
import type { JsonSchema, Operation } from './operation.js';

const TOKEN_BUDGET = 1_800;
const workDir = mkdtempSync(join(tmpdir(), 'cemcp-decl-'));
const serverEntry = (pkg: string) => fileURLToPath(new URL(`../../node_modules/@modelcontextprotocol/${pkg}/dist/index.js`, import.meta.url));
const SERVERS: Record<string, string[]> = {
  everything: [serverEntry('server-everything'), 'stdio'],
  memory: [serverEntry('server-memory')],
  filesystem: [serverEntry('server-filesystem'), workDir],
};

let ops: Operation[] = [];

async function listOperations(server: string, args: string[]): Promise<Operation[]> {
  const env = { ...process.env, MEMORY_FILE_PATH: join(workDir, 'memory.jsonl') } as Record<string, string>;
  const transport = new StdioClientTransport({ command: process.execPath, args, env, stderr: 'ignore' });
  const client = new Client({ name: 'cemcp-declarations-test', version: '0.0.0' });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    return tools.map((tool) => {
      const name = toIdentifier(tool.name);
      return {
        server, namespace: toIdentifier(server), name, toolName: tool.name, callName: `${toIdentifier(server)}.${name}`,
        description: tool.description ?? '', inputSchema: tool.inputSchema as JsonSchema,
        ...(tool.outputSchema ? { outputSchema: tool.outputSchema as JsonSchema } : {}),
      };
    });
  } finally {
    await client.close();
  }
}

const typecheck = (source: string): string[] => typecheckDeclarations(source, workDir);

function op(namespace: string, name: string, inputSchema: JsonSchema, extra: Partial<Operation> = {}): Operation {
  return { server: namespace, namespace, name, toolName: name, callName: `${namespace}.${name}`, description: '', inputSchema, ...extra };
}

function find(callName: string): Operation {
  const found = ops.find((o) => o.callName === callName);
  if (!found) throw new Error(`no operation ${callName}`);
  return found;
}

beforeAll(async () => {
  const lists = await Promise.all(Object.entries(SERVERS).map(([server, args]) => listOperations(server, args)));
  ops = lists.flat();
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('renderDeclarations on the three reference servers', () => {
  it('lists the 36 tools', () => {
    expect(ops).toHaveLength(36);
  });

  it('emits a .d.ts that tsc --strict accepts with zero diagnostics', () => {
    expect(typecheck(renderDeclarations(ops))).toEqual([]);
  });

  it(`stays within ${TOKEN_BUDGET} o200k_base tokens`, () => {
    const tokens = countTokens(renderDeclarations(ops));
    console.log(`cemcp types, 36 reference tools: ${tokens} tokens (o200k_base), budget ${TOKEN_BUDGET}`);
    expect(tokens).toBeLessThanOrEqual(TOKEN_BUDGET);
  });

  it('types parameters, enums as unions, outputs, with one doc line per tool', () => {
    const dts = renderDeclarations(ops);
    expect(dts).toContain('declare namespace everything {');
    expect(dts).toContain('  /** Returns the sum of two numbers */\n  function get_sum(args: { a: number; b: number }): Promise<unknown>;');
    expect(dts).toContain('messageType: "error" | "success" | "debug"');
    expect(dts).toContain('function get_structured_content(args: { location: "New York" | "Chicago" | "Los Angeles" }): Promise<{ temperature: number; conditions: string; humidity: number }>;');
    expect(dts).toContain('function get_env(args?: {}): Promise<unknown>;');
    // read_file and read_text_file take and return the same shapes: declared once, named after the first.
    expect(dts).toContain('  type ReadFileArgs = { path: string; tail?: number; head?: number };\n  type ReadFileResult = { content: string };');
    expect(dts).toContain('function read_text_file(args: ReadFileArgs): Promise<ReadFileResult>;');
    expect(dts).toContain('declare class ToolError extends Error { code: string; data?: unknown }');
    expect(dts.match(/^ {2}\/\*\* .+ \*\/\n {2}function /gm)).toHaveLength(36);
  });

  it('declares the shapes memory repeats once, inside its namespace', () => {
    const dts = renderDeclarations(ops);
    expect(dts).toContain('  type Entity = { name: string; entityType: string; observations: string[] };');
    expect(dts).toContain('  type ReadGraphResult = { entities: Entity[]; relations: Relation[] };');
    expect(dts).toContain('function read_graph(args?: {}): Promise<ReadGraphResult>;');
    expect(dts).toContain('function search_nodes(args: { query: string }): Promise<ReadGraphResult>;');
    const plain = renderDeclarations(ops, { hoistShapes: false });
    expect(plain).not.toContain('type Entity');
    expect(countTokens(plain)).toBeGreaterThan(countTokens(dts));
    expect(typecheck(plain)).toEqual([]);
  });
});

describe('renderSignature on a real tool', () => {
  it('gives just the call name at detail name', () => {
    expect(renderSignature(find('everything.get_sum'), 'name')).toBe('everything.get_sum');
  });

  it('gives the call with a compact parameter type and one line at detail summary', () => {
    expect(renderSignature(find('everything.get_sum'), 'summary'))
      .toBe('everything.get_sum(args: { a: number; b: number }) // Returns the sum of two numbers');
    expect(renderSignature(find('memory.read_graph'), 'summary')).toBe('memory.read_graph(args?: {}) // Read the entire knowledge graph');
  });

  it('documents the description, each parameter and the result type at detail full', () => {
    const full = renderSignature(find('everything.get_sum'), 'full');
    expect(full).toBe([
      '/** Returns the sum of two numbers */',
      'everything.get_sum(args: {',
      '  /** First number */',
      '  a: number;',
      '  /** Second number */',
      '  b: number;',
      '}): Promise<unknown>',
    ].join('\n'));
    const structured = renderSignature(find('everything.get_structured_content'), 'full');
    expect(structured).toContain('  /** Choose city */\n  location: "New York" | "Chicago" | "Los Angeles";');
    expect(structured).toContain('/** Temperature in celsius */\n  temperature: number;');
    expect(renderSignature(find('filesystem.edit_file'), 'full')).toContain('/** Preview changes using git-style diff format (default: false) */');
  });

  it('keeps the whole description at full, and only its first sentence at summary', () => {
    const tool = find('filesystem.read_text_file');
    expect(renderSignature(tool, 'full')).toContain('Only works within allowed directories.');
    expect(renderSignature(tool, 'summary')).toMatch(/\/\/ Read the complete contents of a file from the file system as text$/);
  });
});

describe('declarations of odd catalogs', () => {
  const tree = (leaf: string): JsonSchema => ({
    type: 'object',
    properties: { root: { $ref: '#/$defs/Node' } },
    required: ['root'],
    $defs: { Node: { type: 'object', properties: { [leaf]: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } },
  });

  it('scopes named types per upstream so two upstreams never clash', () => {
    const dts = renderDeclarations([op('a', 'walk', tree('label')), op('b', 'walk', tree('title')), op('b', 'walk2', tree('size'))]);
    expect(dts).toContain('declare namespace a {\n  type Node = { label?: string; children?: Node[] };');
    expect(dts).toContain('declare namespace b {\n  type Node = { title?: string; children?: Node[] };\n  type Node2 = { size?: string; children?: Node2[] };');
    expect(typecheck(dts)).toEqual([]);
  });

  it('hoists nested recurring shapes innermost first, named from the key of their first use', () => {
    const point = { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'] };
    const segment = { type: 'object', properties: { start: point, end: point } };
    const schema: JsonSchema = { type: 'object', properties: { segments: { type: 'array', items: segment } } };
    const points: JsonSchema = { type: 'object', properties: { points: { type: 'array', items: point } } };
    const dts = renderDeclarations([op('geo', 'a', schema), op('geo', 'b', schema), op('geo', 'c', schema), op('geo', 'd', points)]);
    expect(dts).toContain('  type Start = { x: number; y: number };\n  type Segment = { start?: Start; end?: Start };\n  type AArgs = { segments?: Segment[] };');
    expect(dts).toContain('function a(args?: AArgs): Promise<unknown>;');
    expect(dts).toContain('function c(args?: AArgs): Promise<unknown>;');
    expect(dts).toContain('function d(args?: { points?: Start[] }): Promise<unknown>;');
    expect(typecheck(dts)).toEqual([]);
  });

  it('declares a recursive type above a full signature', () => {
    const full = renderSignature(op('fs', 'walk', tree('name'), { description: 'Walks a tree.' }), 'full');
    expect(full).toBe('type Node = { name?: string; children?: Node[] };\n/** Walks a tree. */\nfs.walk(args: { root: Node }): Promise<unknown>');
  });

  it('makes args optional only when nothing is required', () => {
    const dts = renderDeclarations([
      op('x', 'none', { type: 'object' }),
      op('x', 'some', { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }),
      op('x', 'union', { oneOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object', properties: { b: { type: 'number' } } }] }),
    ]);
    expect(dts).toContain('function none(args?: Record<string, unknown>): Promise<unknown>;');
    expect(dts).toContain('function some(args: { a: string }): Promise<unknown>;');
    expect(dts).toContain('function union(args: { a?: string } | { b?: number }): Promise<unknown>;');
    expect(typecheck(dts)).toEqual([]);
  });

  it('names a literal union that recurs in an upstream once, and leaves a rare one inline', () => {
    const theme = { type: 'string', enum: ['default', 'academy', 'dark'] };
    const chart = (extra: object): JsonSchema => ({ type: 'object', properties: { theme, ...extra } });
    const ops = ['area', 'bar', 'line', 'pie'].map((n) => op('chart', n, chart({ [n]: { type: 'number' } })));
    const dts = renderDeclarations([...ops, op('other', 'f', chart({}))]);
    expect(dts).toContain('declare namespace chart {\n  type Theme = "default" | "academy" | "dark";');
    expect(dts).toContain('function pie(args?: { theme?: Theme; pie?: number }): Promise<unknown>;');
    expect(dts).toContain('function f(args?: { theme?: "default" | "academy" | "dark" }): Promise<unknown>;');
    expect(typecheck(dts)).toEqual([]);
  });

  it('gives every function one condensed doc line, even for a long markdown description', () => {
    const description = '\n  ⚠️ **IMPORTANT:** always pass `outputDir`.\n\n  This tool downloads **usage data** for an org and a date range. It then waits.\n  - step one';
    const dts = renderDeclarations([op('ci', 'download', { type: 'object' }, { description })]);
    expect(dts).toContain('  /** Downloads usage data for an org and a date range */\n  function download(');
  });

  it('escapes comment terminators and multi-line descriptions in docs', () => {
    const tricky = op('x', 'f', { type: 'object' }, { description: 'Ends */ early.\n\n\nSecond paragraph */ too.' });
    expect(renderSignature(tricky, 'full')).toBe('/**\n * Ends *\\/ early.\n *\n * Second paragraph *\\/ too.\n */\nx.f(args?: Record<string, unknown>): Promise<unknown>');
    const dts = renderDeclarations([tricky]);
    expect(dts).toContain('/** Ends *\\/ early */');
    expect(typecheck(dts)).toEqual([]);
  });
});

describe('firstSentence', () => {
  it('stops at the first sentence end, not at an abbreviation, and drops the period', () => {
    expect(firstSentence('Reads a file. Then more.')).toBe('Reads a file');
    expect(firstSentence('Uses e.g. globs like *.ts to match. Other text.')).toBe('Uses e.g. globs like *.ts to match');
    expect(firstSentence('No period here')).toBe('No period here');
    expect(firstSentence('  spaced\n  out.  ')).toBe('spaced out');
    expect(firstSentence('Is it? Yes.')).toBe('Is it?');
    expect(firstSentence('')).toBe('');
  });

  it('cuts a long sentence at a word', () => {
    expect(firstSentence('word '.repeat(50), 30)).toBe('word word word word word word…');
  });
});
