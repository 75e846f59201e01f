// Golden tests of the Python renderer over the same schema fixtures as the TypeScript one: each
// test/fixtures/schemas/<case>.json beside <case>.py, the expected module, which python3 must parse,
// run and resolve every annotation of. Regenerate after an intended change with UPDATE_GOLDEN=1.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPython } from '../../test/support/python.js';
import { createPyScope, pyDeclarations } from './py-scope.js';
import { schemaToPy, type SchemaToPyOptions } from './schema-to-py.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/schemas/', import.meta.url));
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const HEADER = 'from __future__ import annotations\nfrom typing import Any, Literal, Never, NotRequired, Required, TypeAlias, TypedDict\n';

interface GoldenCase {
  readonly note: string;
  readonly options?: Omit<SchemaToPyOptions, 'scope'>;
  readonly root?: unknown;
  readonly schema: unknown;
}

const cases = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();

/** The module a case renders to: its classes and aliases, then `Golden_ = <type>`. */
function renderModule(schema: unknown, options: Omit<SchemaToPyOptions, 'scope'> = {}): string {
  const scope = createPyScope();
  const type = schemaToPy(schema, { hint: 'Golden', ...options, scope });
  return [...pyDeclarations(scope).map((d) => d.text), `Golden_ = ${type}`].join('\n');
}

function renderGolden(c: GoldenCase): string {
  return `# ${c.note}\n${renderModule(c.schema, { ...c.options, root: c.root })}\n`;
}

describe('schemaToPy golden cases', () => {
  const rendered = new Map(cases.map((name) => [name, renderGolden(JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as GoldenCase)]));
  let checks = new Map<string, string>();
  beforeAll(() => {
    const results = checkPython([...rendered.values()].map((text) => `${HEADER}${text}`));
    checks = new Map([...rendered.keys()].map((name, i) => [name, results[i]?.output ?? '']));
  });

  it.each(cases)('%s', (name) => {
    const actual = rendered.get(name) ?? '';
    const file = join(FIXTURES, `${name}.py`);
    if (UPDATE || !existsSync(file)) writeFileSync(file, actual);
    expect(actual).toBe(readFileSync(file, 'utf8'));
    expect(checks.get(name)).toMatch(/^ok /);
  });
});

describe('schemaToPy', () => {
  const module = (schema: unknown, options?: Omit<SchemaToPyOptions, 'scope'>) => renderModule(schema, options);
  // Every module a test expects to run is checked by one python3 process at the end.
  const runnable: string[] = [];
  const mustRun = (text: string) => runnable.push(`${HEADER}${text}`);
  afterAll(() => {
    expect(checkPython(runnable).map((c, i) => `${i}: ${c.output}`)).toEqual(runnable.map((_, i) => expect.stringMatching(new RegExp(`^${i}: ok `))));
  });

  it('spells scalars, enums, nullables, arrays and maps as Python types', () => {
    const text = module({
      type: 'object',
      properties: {
        s: { type: 'string' }, i: { type: 'integer' }, n: { type: 'number' }, b: { type: 'boolean' },
        e: { enum: ['a', 'b', null] }, c: { const: true }, f: { const: 0.5 }, ns: { type: ['string', 'null'] },
        l: { type: 'array', items: { type: 'integer' } }, m: { additionalProperties: { type: 'number' } }, any: {},
      },
      required: ['s', 'i', 'n', 'b', 'e', 'c', 'f', 'ns', 'l', 'm', 'any'],
    });
    expect(text).toContain('class Golden(TypedDict): s: str; i: int; n: float; b: bool; e: Literal["a", "b"] | None; c: Literal[True]; '
      + 'f: float; ns: str | None; l: list[int]; m: dict[str, float]; any: Any');
  });

  it('merges the literals of a union and keeps None last', () => {
    const text = module({ anyOf: [{ const: 'x' }, { type: 'null' }, { enum: ['y', 'x'] }, { type: 'integer' }] });
    expect(text).toBe('Golden_ = Literal["x", "y"] | int | None');
  });

  it('marks optional fields with the fewest wrappers: NotRequired on few, total=False with Required on many', () => {
    const props = { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } };
    expect(module({ type: 'object', properties: props, required: ['a', 'b'] })).toContain('class Golden(TypedDict): a: str; b: str; c: NotRequired[str]');
    expect(module({ type: 'object', properties: props, required: ['a'] })).toContain('class Golden(TypedDict, total=False): a: Required[str]; b: str; c: str');
    expect(module({ type: 'object', properties: props })).toContain('class Golden(TypedDict, total=False): a: str; b: str; c: str');
  });

  it('declares an object shape once: an identical one reuses the class, a different one of the same key gets a new name', () => {
    const item = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
    const text = module({
      type: 'object',
      properties: { items: { type: 'array', items: item }, item, other: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } } } } } } },
    });
    expect(text).toContain('class Item(TypedDict): id: str\n');
    expect(text).toContain('class Item2(TypedDict, total=False): n: int\n');
    expect(text).toContain('items: list[Item]; item: Item; other: Other');
  });

  it('uses the functional form for keys Python cannot write as names, quoting a value that names a pending class', () => {
    const text = module({
      $defs: { node: { type: 'object', properties: { 'from': { $ref: '#/$defs/node' }, __x: { type: 'string' } }, required: ['from'] } },
      $ref: '#/$defs/node',
    });
    expect(text).toBe('Node = TypedDict("Node", {"from": "Node", "__x": NotRequired[str]})\nGolden_ = Node');
    mustRun(text);
  });

  it('takes a claimed name for the root, as a class or an alias, with its doc line', () => {
    const scope = createPyScope();
    expect(schemaToPy({ type: 'object', properties: { a: { type: 'string' } } }, { scope, name: 'ReadResult', doc: 'inferred from 2 calls' })).toBe('ReadResult');
    expect(schemaToPy({ type: 'array', items: { type: 'string' } }, { scope, name: 'ListResult', doc: 'inferred from 1 call' })).toBe('ListResult');
    expect(pyDeclarations(scope).map((d) => d.text)).toEqual([
      '# inferred from 2 calls\nclass ReadResult(TypedDict, total=False): a: str',
      '# inferred from 1 call\nListResult = list[str]',
    ]);
  });

  it('never names a class after a keyword or a typing name, and bounds nesting', () => {
    const text = module({ type: 'object', properties: { none: { type: 'object', properties: { any: { type: 'object', properties: { x: { type: 'string' } } } } } } });
    expect(text).toContain('class Any_(TypedDict, total=False): x: str');
    expect(text).toContain('class None_(TypedDict, total=False): any: Any_');
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 40; i++) deep = { type: 'object', properties: { d: deep } };
    const bounded = module(deep);
    expect(bounded.split('\n').length).toBeLessThanOrEqual(18);
    expect(bounded).toContain('d: Any');
    mustRun(bounded);
  });

  it('keeps docs on one line as comments, control characters and all', () => {
    const text = module({ type: 'object', properties: { q: { type: 'string', description: 'Line one\nline two \u0000 """ end */' } } }, { docs: true });
    expect(text).toContain('    q: str  # Line one line two """ end */');
    mustRun(text);
  });

  it('degrades what it cannot read to Any instead of throwing', () => {
    const hostile = { get properties(): never { throw new Error('boom'); }, type: 'object' };
    expect(schemaToPy(hostile, { scope: createPyScope() })).toBe('Any');
  });
});
