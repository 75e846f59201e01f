// The checker against a real catalog (the 24-server popular catalog of eval/catalogs): each kind of
// wrong program is reported at the user's line:column naming the right name; a development set of
// valid programs, dynamic ones included, passes. The held-out evaluation lives in eval/typecheck.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../catalog/index.js';
import { transpileProgram } from '../transpile.js';
import { renderCheckerDeclarations, SANDBOX_GLOBALS, unknownAsAny } from './checker-declarations.js';
import { createTypeChecker, type CheckReport, type TypeChecker } from './type-check.js';

const POPULAR = new URL('../../../eval/catalogs/mcp-popular.json.gz', import.meta.url);
const STATE = 'declare const state: { get(key: string): Promise<any>; set(key: string, value: any): Promise<void> };';

let checker: TypeChecker;
beforeAll(() => {
  const data = JSON.parse(gunzipSync(readFileSync(POPULAR)).toString('utf8')) as { servers: { name: string; tools: never[] }[] };
  const catalog = Catalog.fromSources(data.servers.map((s) => ({ server: s.name, tools: s.tools })));
  checker = createTypeChecker(renderCheckerDeclarations(catalog.operations) + SANDBOX_GLOBALS);
});
afterAll(() => checker.dispose());

async function check(source: string, hostDeclarations = STATE): Promise<CheckReport> {
  const program = await transpileProgram(source);
  return checker.check({ source, form: program.form, language: program.language, hostDeclarations });
}

// [what, program, line, column, words the message must name]
const WRONG: readonly [string, string, number, number, readonly string[]][] = [
  ['a misspelled result field', 'const g = await memory.read_graph({});\nreturn g.entites.map(e => e.name);', 2, 10, ["'entites'", "'entities'"]],
  ['a misspelled namespace', "const g = await memory.read_graph({});\nconst x = await memroy.search_nodes({ query: 'a' });", 2, 17, ["'memroy'", "'memory'"]],
  ['a namespace written as a plural', 'await memory.read_graph({});\nreturn await memories.read_graph({});', 2, 14, ["'memories'", 'memory.read_graph']],
  ['a namespace abbreviated', "await memory.read_graph({});\nreturn await fs.read_text_file({ path: '/x' });", 2, 14, ["'fs'", 'filesystem.read_text_file']],
  ['a tool name cut short', "await memory.read_graph({});\nreturn await filesystem.list_dir({ path: '/x' });", 2, 25, ["'list_dir'", "'list_directory'"]],
  ['a misspelled tool', 'const g = await memory.read_graph({});\nawait memory.read_grap({});', 2, 14, ["'read_grap'", "'read_graph'"]],
  ['a wrong argument name', "await memory.read_graph({});\nawait memory.search_nodes({ qeury: 'a' });", 2, 29, ["'qeury'", "'query'"]],
  ['an argument name far from any', "await memory.read_graph({});\nawait filesystem.read_text_file({ file: '/x' });", 2, 35, ["'file'", 'It takes: path, tail?, head?']],
  ['a missing required field', "await memory.read_graph({});\nawait memory.create_entities({ entities: [{ name: 'a', entityType: 'b' }] });", 2, 43, ["'observations'"]],
  ['a wrong enum value', "await memory.read_graph({});\nawait github.list_issues({ owner: 'a', repo: 'b', state: 'opne' });", 2, 51, ['"opne"', '"open"']],
  ['an array method on an object', 'const g = await memory.read_graph({});\nreturn g.filter((e) => e);', 2, 10, ["'filter'", 'ReadGraphResult']],
  ['a forgotten await', 'await memory.read_graph({});\nconst g = memory.read_graph({});\nreturn g.entities.length;', 3, 10, ["'entities'", 'await']],
  ['a forgotten await, tested', 'await memory.read_graph({});\nconst g = memory.read_graph({});\nif (g.entities) return 1;', 3, 7, ["'entities'", 'await']],
  ['a forgotten await on an untyped result', "await memory.read_graph({});\nconst list = github.list_issues({ owner: 'o', repo: 'r' });\nreturn list.map((i) => i.title);", 3, 13, ["'map'", 'await']],
  ['iterating a pending call', "await memory.read_graph({});\nfor (const e of memory.search_nodes({ query: 'x' })) console.log(e);", 2, 17, ['await']],
  ['a wrong argument type', "await memory.read_graph({});\nawait memory.search_nodes('foo');", 2, 27, ["'string'", 'query']],
  ['no argument where one is required', 'await memory.read_graph({});\nawait memory.create_entities();', 2, 14, ['Expected 1']],
  ['a field with no close name lists the fields the result has', "const f = await filesystem.read_text_file({ path: '/x' });\nreturn f.text.split('\\n');", 2, 10, ["'text'", 'It has: content']],
  ['a destructured field without a default', "const f = await filesystem.read_text_file({ path: '/x' });\nconst { body } = f;\nreturn body;", 2, 9, ["'body'"]],
  ['a destructured default from a call not awaited', "await memory.read_graph({});\nconst { entities = [] } = memory.read_graph({});\nreturn entities;", 2, 9, ['await']],
  ['a field of a nested declared type', 'const g = await memory.read_graph({});\nreturn g.relations.map((r) => r.form);', 2, 33, ["'form'", 'Relation']],
  ['a field inside a mapped argument', "const g = await memory.read_graph({});\nawait memory.add_observations({ observations: g.entities.map((e) => ({ entityName: e.name, content: ['x'] })) });", 2, 33, ["'contents'"]],
  ['a host namespace method', "await memory.read_graph({});\nawait state.gte('k');", 2, 13, ["'gte'", "'get'"]],
  ['a TypeScript program', 'const g: { entities: unknown[] } = await memory.read_graph({});\nconst n: number = g.entities.length;\nreturn (await memory.read_graph({})).relatons;', 3, 38, ["'relatons'", "'relations'"]],
  ['a called async function', 'async () => {\n  const g = await memory.read_graph({});\n  return g.entites;\n}', 3, 12, ["'entites'"]],
];

describe('createTypeChecker: wrong programs', () => {
  for (const [what, source, line, column, words] of WRONG) {
    it(`reports ${what} at ${line}:${column}`, async () => {
      const { issues } = await check(source);
      expect(issues.length).toBeGreaterThan(0);
      const issue = issues[0]!;
      expect({ line: issue.line, column: issue.column }).toEqual({ line, column });
      for (const word of words) expect(issue.message).toContain(word);
    });
  }

  it('reports one issue per line, in source order', async () => {
    const { issues } = await check('const g = await memory.read_graph({});\nreturn [g.entites, g.relatons, g.entites];\nmemroy.x;');
    expect(issues.map((i) => i.line)).toEqual([2, 3]);
  });
});

// Valid programs, several reading data whose shape was never learned: all must pass.
const VALID: readonly string[] = [
  // A destructured field with a default: the program says it may be absent.
  "const f = await filesystem.read_text_file({ path: '/x' });\nconst { content, encoding = 'utf8', size = null } = f;\nreturn [content.length, encoding, size];",
  "const g = await memory.read_graph({});\nreturn g.entities.filter((e) => e.entityType === 'person').map((p) => ({ name: p.name, n: p.observations.length }));",
  "const issues = await github.list_issues({ owner: 'o', repo: 'r', state: 'open' });\nconst byLabel = {};\nfor (const i of issues) for (const l of i.labels) byLabel[l.name] = (byLabel[l.name] || 0) + 1;\nreturn byLabel;",
  "try {\n  await github.get_issue({ owner: 'o', repo: 'r', issue_number: 1 });\n} catch (e) {\n  if (e.code === 'NOT_FOUND' || e.data?.status === 404) return 'missing';\n  throw e;\n}",
  "const f = await filesystem.read_text_file({ path: '/x.csv' });\nconst rows = f.content.split('\\n').map((l) => l.split(','));\nconst [header, ...body] = rows;\nreturn body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));",
  "const f = await filesystem.read_text_file({ path: '/x.json' });\nconst data = JSON.parse(f.content);\nreturn data.items.filter((x) => x.active).map((x) => x.id);",
  "let sort = 'created';\nif (Date.now() > 0) sort = 'updated';\nreturn (await github.list_issues({ owner: 'o', repo: 'r', sort, direction: 'desc' })).length;",
  "const args = { owner: 'o', repo: 'r', state: 'closed' };\nreturn await github.list_issues(args);",
  "const args = {};\nargs.owner = 'o';\nargs.repo = 'r';\nreturn await github.list_issues(args);",
  "const results = [];\nfor (const q of ['a', 'b']) {\n  const r = await memory.search_nodes({ query: q });\n  results.push(...r.entities);\n}\nreturn results.map((e) => e.name);",
  'async () => {\n  const g = await memory.read_graph({});\n  const counts = new Map();\n  for (const r of g.relations) counts.set(r.relationType, (counts.get(r.relationType) ?? 0) + 1);\n  return Object.fromEntries(counts);\n}',
  "const [a, b] = await Promise.all([memory.read_graph({}), memory.search_nodes({ query: 'z' })]);\nreturn a.entities.length + b.entities.length;",
  "function summarize(items) {\n  return items.map((i) => i.title ?? i.name).join(', ');\n}\nreturn summarize(await github.list_issues({ owner: 'o', repo: 'r' }));",
  "const g = await memory.read_graph({});\nconst key = 'entities';\nreturn g[key].length;",
  "const res = await everything.echo({ message: 'hi' });\nreturn res.content?.[0]?.text ?? res;",
  "const loc = ['New York', 'Chicago'][0];\nreturn (await everything.get_structured_content({ location: loc })).humidity;",
  "interface Row { id: string; score: number }\nconst f = await filesystem.read_text_file({ path: '/a.json' });\nconst rows: Row[] = JSON.parse(f.content);\nreturn rows.sort((a, b) => b.score - a.score).slice(0, 3);",
  'const g = await memory.read_graph({});\nconst byType: Record<string, string[]> = {};\nfor (const e of g.entities) (byType[e.entityType] ??= []).push(e.name);\nreturn byType;',
  'const out = {};\nconst g = await memory.read_graph({});\nout.total = g.entities.length;\nout.first = g.entities[0]?.name;\nreturn out;',
  "const dir = await filesystem.directory_tree({ path: '/tmp' });\nconst tree = JSON.parse(dir.content);\nconst walk = (n) => [n.name, ...(n.children ?? []).flatMap(walk)];\nreturn tree.flatMap(walk);",
  "const opts = { owner: 'o', repo: 'r' };\nreturn (await github.get_pull_request({ ...opts, pull_number: 3 })).title;",
  "const raw = await filesystem.read_text_file({ path: '/x.txt' });\nconst text = typeof raw === 'string' ? raw : raw.content;\nreturn text.length;",
  "const all = await Promise.all([1, 2].map((n) => github.get_issue({ owner: 'o', repo: 'r', issue_number: n })));\nreturn all.map((i) => i.title);",
  'const p = memory.read_graph({});\nconst g = await p;\nreturn g.entities.length;',
  '/** @type {any} */\nconst g = await memory.read_graph({});\nreturn g.whatever;',
  'const g = await memory.read_graph({});\n// @ts-ignore\nreturn g.extraField;',
  "const labels = 'bug,ui'.split(',');\nawait github.create_issue({ owner: 'o', repo: 'r', title: 't', labels });",
  "const maybe = Math.random() > 0.5 ? 'open' : 'closed';\nreturn await github.list_issues({ owner: 'o', repo: 'r', state: maybe });",
  "await state.set('seen', (await memory.read_graph({})).entities.length);\nreturn await state.get('seen');",
  "const g = await memory.read_graph({});\nreturn Object.groupBy(g.entities, (e) => e.entityType);",
  'const g = await memory.read_graph({});\nthrow new ToolError(`none of ${g.entities.length}`, "EMPTY", { n: 0 });',
  "if (typeof memory.read_graphs === 'function') return 'new server';\nreturn (await memory.read_graph({})).entities.length;",
  'const g = await memory.read_graph({});\nif (g.nodes) return g.nodes.length;\nreturn g.total ?? g.entities?.length ?? (g.count || 0);',
  'const g = await memory.read_graph({});\nreturn g.nodes?.length ?? g.entities.length;',
  "await memory.read_graph({});\nif (typeof memorie !== 'undefined') return await memorie.read_graph({});\nreturn 0;",
  "function label(kind: string, name: string) { return kind + ':' + name; }\nreturn await memory.search_nodes({ query: label('person') });",
];

describe('createTypeChecker: valid programs', () => {
  VALID.forEach((source, i) => {
    it(`passes valid program #${i + 1}`, async () => {
      expect((await check(source)).issues).toEqual([]);
    });
  });

  it('treats a host namespace without a declaration as any', async () => {
    const { issues } = await check("await memory.read_graph({});\nreturn await skills.anything({ x: 1 });", 'declare const skills: any;');
    expect(issues).toEqual([]);
  });
});

describe('unknownAsAny', () => {
  it('turns the keyword into any and leaves string literals alone', () => {
    expect(unknownAsAny('function f(a: "unknown" | unknown): Promise<unknown>; /* unknown */')).toBe('function f(a: "unknown" | any): Promise<any>; /* unknown */');
  });
});

describe('createTypeChecker: several catalog versions in one process', () => {
  it('checks each program against its own catalog version, never a text another checker held', async () => {
    const ns = (tools: string[]) => Catalog.fromSources([{ server: 'fixture', tools: tools.map((name) => ({ name, inputSchema: { type: 'object' } })) }]);
    const before = createTypeChecker(renderCheckerDeclarations(ns(['echo']).operations) + SANDBOX_GLOBALS);
    const after = createTypeChecker(renderCheckerDeclarations(ns(['echo', 'brand_new']).operations) + SANDBOX_GLOBALS);
    const input = { source: 'return await fixture.brand_new({});', form: 'body' as const, language: 'javascript' as const, hostDeclarations: '' };
    try {
      expect(before.check(input).issues).toHaveLength(1);
      expect(after.check(input).issues).toEqual([]);
      // And the other way round, with the program texts of each service alternating.
      expect(before.check({ ...input, source: 'return await fixture.echo({});' }).issues).toEqual([]);
      expect(after.check(input).issues).toEqual([]);
      expect(before.check(input).issues).toHaveLength(1);
    } finally {
      before.dispose();
      after.dispose();
    }
  });
});
