// Golden tests of the schema renderer: each test/fixtures/schemas/<case>.json (note, options, schema,
// optional root) beside <case>.ts, the expected declarations, which tsc must also accept.
// Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { schemaToTs, toDocLine, type SchemaToTsOptions } from './schema-to-ts.js';
import { createTypeScope, namedTypes } from './type-scope.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/schemas/', import.meta.url));
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

interface GoldenCase {
  readonly note: string;
  readonly options?: SchemaToTsOptions;
  readonly root?: unknown;
  readonly schema: unknown;
}

const cases = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();

/** What a golden .ts file holds: the named types the scope collected, then the rendered type. */
function renderGolden(c: GoldenCase): string {
  const scope = createTypeScope();
  const type = schemaToTs(c.schema, { ...c.options, root: c.root, scope });
  const named = namedTypes(scope).map((t) => `${t.doc ? `/** ${t.doc} */\n` : ''}type ${t.name} = ${t.type};`);
  return `${[`// ${c.note}`, ...named, `type Golden = ${type};`].join('\n')}\n`;
}

function loadCase(name: string): GoldenCase {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as GoldenCase;
}

/** Compiles `source` strictly, as a script, and returns the diagnostics as text. */
function typecheck(source: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'cemcp-golden-'));
  try {
    const file = join(dir, 'golden.ts');
    writeFileSync(file, source);
    const program = ts.createProgram([file], {
      strict: true, noUncheckedIndexedAccess: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2023.d.ts'], types: [],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('schemaToTs golden cases', () => {
  it('has a fixture for every tricky family', () => {
    expect(cases).toEqual(expect.arrayContaining([
      'enums', 'nullable', 'nested-objects', 'arrays-of-objects', 'refs', 'recursive-tree', 'combinators',
      'additional-properties', 'quoted-keys', 'const', 'tuple', 'empty-and-odd',
    ]));
  });

  for (const name of cases) {
    it(`renders ${name} as in ${name}.ts`, () => {
      const actual = renderGolden(loadCase(name));
      const expectedFile = join(FIXTURES, `${name}.ts`);
      if (UPDATE) writeFileSync(expectedFile, actual);
      expect(existsSync(expectedFile), `${name}.ts is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
    });
  }

  it('produces golden files tsc accepts under --strict', () => {
    // Each case in its own namespace, so their `Golden` and named types do not collide.
    const source = cases
      .map((name) => `declare namespace case_${name.replace(/-/g, '_')} {\n${renderGolden(loadCase(name))}}`)
      .join('\n');
    expect(typecheck(source)).toEqual([]);
  });
});

describe('schemaToTs', () => {
  it('renders a recursive ref as unknown at the cycle when no scope collects names', () => {
    const schema = { $ref: '#/$defs/Node', $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } } };
    expect(schemaToTs(schema)).toBe('{ next?: unknown }');
  });

  it('declares one type for the same $defs reached from two tools of one scope', () => {
    const defs = { Node: { type: 'object', properties: { kids: { type: 'array', items: { $ref: '#/$defs/Node' } } } } };
    const scope = createTypeScope();
    const a = schemaToTs({ type: 'object', properties: { n: { $ref: '#/$defs/Node' } }, $defs: defs }, { scope });
    const b = schemaToTs({ type: 'object', properties: { m: { $ref: '#/$defs/Node' } }, $defs: structuredClone(defs) }, { scope });
    expect([a, b]).toEqual(['{ n?: Node }', '{ m?: Node }']);
    expect(namedTypes(scope).map((t) => `${t.name} = ${t.type}`)).toEqual(['Node = { kids?: Node[] }']);
  });

  it('gives a same-named but different definition, or a reserved name, a fresh name', () => {
    const scope = createTypeScope(['Tree']);
    const node = (key: string) => ({ type: 'object', properties: { [key]: { $ref: '#/$defs/Node' } } });
    expect(schemaToTs({ $ref: '#/$defs/Node', $defs: { Node: node('up') } }, { scope })).toBe('Node');
    expect(schemaToTs({ $ref: '#/$defs/Node', $defs: { Node: node('down') } }, { scope })).toBe('Node2');
    expect(schemaToTs({ $ref: '#/$defs/Tree', $defs: { Tree: { items: { $ref: '#/$defs/Tree' } } } }, { scope })).toBe('Tree2');
    expect(namedTypes(scope).map((t) => `${t.name} = ${t.type}`)).toEqual(['Node = { up?: Node }', 'Node2 = { down?: Node2 }', 'Tree2 = Tree2[]']);
  });

  it('bounds inline expansion of a ref DAG that doubles at each level', () => {
    const defs: Record<string, unknown> = { L0: { type: 'string' } };
    for (let i = 1; i <= 40; i++) {
      defs[`L${i}`] = { type: 'array', prefixItems: [{ $ref: `#/$defs/L${i - 1}` }, { $ref: `#/$defs/L${i - 1}` }] };
    }
    const text = schemaToTs({ $ref: '#/$defs/L40', $defs: defs });
    expect(text.length).toBeLessThan(2_000_000);
    expect(text).toContain('unknown');
  });

  it('never throws, even on a schema whose getters throw', () => {
    const evil = { get type(): string { throw new Error('boom'); } };
    expect(schemaToTs(evil)).toBe('unknown');
    expect(schemaToTs(undefined)).toBe('unknown');
    expect(schemaToTs('string')).toBe('unknown');
  });

  it('hoists only the literals a shape table names, and reports the others with their hints', () => {
    const seen: string[] = [];
    const schema = { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } } } };
    const shapes = { names: new Map<string, string>(), seen: (literal: string, hint: string) => seen.push(`${hint}: ${literal}`) };
    expect(schemaToTs(schema, { shapes })).toBe('{ items?: { a?: string }[] }');
    expect(seen).toEqual(['item: { a?: string }']);
    expect(schemaToTs(schema, { shapes: { names: new Map([['{ a?: string }', 'Item']]) } })).toBe('{ items?: Item[] }');
  });

  it('offers unions of literals to the table too, and the root literal when given a hint', () => {
    const seen: string[] = [];
    const schema = { type: 'object', properties: { modes: { type: 'array', items: { enum: ['a', 'b'] } }, n: { enum: [1] } } };
    const shapes = { names: new Map<string, string>(), seen: (literal: string, hint: string) => seen.push(`${hint}: ${literal}`) };
    expect(schemaToTs(schema, { shapes, hint: 'getArgs' })).toBe('{ modes?: ("a" | "b")[]; n?: 1 }');
    expect(seen).toEqual(['mode: "a" | "b"', 'getArgs: { modes?: ("a" | "b")[]; n?: 1 }']);
    const named = { names: new Map([['"a" | "b"', 'Mode']]) };
    expect(schemaToTs(schema, { shapes: named })).toBe('{ modes?: Mode[]; n?: 1 }');
    expect(schemaToTs(schema, { shapes: { names: new Map([['{ modes?: Mode[]; n?: 1 }', 'GetArgs'], ['"a" | "b"', 'Mode']]) }, hint: 'x' })).toBe('GetArgs');
  });
});

describe('toDocLine', () => {
  it('collapses whitespace, cuts at a word and escapes the comment terminator', () => {
    expect(toDocLine('  a\n b\t c ')).toBe('a b c');
    expect(toDocLine('one two three four five', 14)).toBe('one two three…');
    expect(toDocLine('ends */ here')).toBe('ends *\\/ here');
  });
});
