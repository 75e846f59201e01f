// Hostile tool definitions rendered as Python (`search` with language "python", `cemcp types
// --language python`): names, keys, enum values, defaults and descriptions written to break out of
// a string, a comment or a docstring never become code. Every module python3 runs (the checker
// executes it) keeps exactly one method per operation, and code planted in the text never runs.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOperations, renderHits, renderPyDeclarations, type ToolLike } from '../../src/catalog/index.js';
import { checkPython } from '../support/python.js';

const dir = mkdtempSync(join(tmpdir(), 'cemcp-pysec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MARK = join(dir, 'ran');
const run = `__import__("os").system("touch ${MARK}")`;

// Each closes what the rendering opens somewhere (a string, a dict, a call, a comment, a docstring)
// and starts a statement.
const BREAKOUTS = [
  `"})\n${run}\n#`, `"\n${run}\n"`, `\r${run}`, `\u2028${run}`, `\u0085${run}`, `\x0c${run}`, `\x00${run}`,
  `"""\n${run}\n"""`, `'''\n${run}\n'''`, `\\\n${run}`, `\\" + ${run} + \\"`, `# \n${run}`, `*/ ${run} /*`,
  `{${run}}`, `f"{${run}}"`, `x: int = ${run}`, `__class__`, `__init_subclass__`, `__annotations__`, `__proto__`,
  'from', 'None', 'TypedDict', 'Any', 'ünï', '', ' ', '1st', 'a-b', '$ref', 'ToolError',
];
const hostile = fc.oneof(fc.constantFrom(...BREAKOUTS), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }));

const leaf = fc.oneof(
  fc.record({ type: fc.constantFrom('string', 'integer', 'number', 'boolean', 'null'), description: hostile }),
  fc.record({ enum: fc.array(fc.oneof(hostile, fc.integer(), fc.boolean(), fc.constant(null)), { minLength: 1, maxLength: 4 }) }),
  fc.record({ const: hostile }),
  fc.record({ type: fc.constant('string'), default: hostile }),
);
const objectOf = (value: fc.Arbitrary<unknown>) => fc.record({
  type: fc.constant('object'),
  properties: fc.dictionary(hostile, value, { maxKeys: 4 }),
  required: fc.array(hostile, { maxLength: 2 }),
  description: hostile,
});
const schema = objectOf(fc.oneof(leaf, objectOf(leaf), fc.record({ type: fc.constant('array'), items: objectOf(leaf) })));
const tool = fc.record({ name: hostile, description: hostile, inputSchema: schema, outputSchema: fc.option(schema, { nil: undefined }) });
const server = fc.record({ server: hostile.filter((s) => s.trim() !== ''), tools: fc.array(tool, { minLength: 1, maxLength: 4 }) });

describe('Python signatures of hostile tool definitions', () => {
  it('render as modules python3 runs with one method per operation, and planted code never runs', () => {
    const catalogs = fc.sample(fc.array(server, { minLength: 1, maxLength: 3 }), { numRuns: 80, seed: 16 });
    const rendered = catalogs.map((servers) => {
      const ops = buildOperations(servers.map((s) => ({ server: s.server, tools: s.tools.map((t) => ({ ...t, ...(t.outputSchema ? {} : { outputSchema: undefined }) }) as ToolLike) })));
      return { ops, module: renderPyDeclarations(ops) };
    });
    const planted = [
      ...BREAKOUTS.map((b) => renderPyDeclarations(buildOperations([{ server: 'h', tools: [
        { name: b, description: b, inputSchema: { type: 'object', description: b, properties: { [b]: { type: 'string', description: b, default: b, enum: [b, 'x'] } }, required: [b] } },
      ] }]))),
    ];
    const checks = checkPython([...rendered.map((r) => r.module), ...planted]);
    checks.slice(0, rendered.length).forEach((check, i) => {
      expect(check.output, rendered[i]!.module).toMatch(/^ok /);
      expect(check.methods, `${rendered[i]!.ops.map((o) => o.callName).join(' ')}\n${rendered[i]!.module}`).toBe(rendered[i]!.ops.length);
    });
    for (const check of checks.slice(rendered.length)) expect(check.output).toMatch(/^ok \d+ 1$/);
    expect(existsSync(MARK)).toBe(false);
  });

  it('keep a search answer\'s comments and docstrings on their lines', () => {
    for (const b of BREAKOUTS) {
      const [op] = buildOperations([{ server: 'h', tools: [{ name: 'probe', description: `Probe. ${b}\nsecond line ${b}`, inputSchema: {
        type: 'object', properties: { q: { type: 'string', description: b } }, required: ['q'],
      } } as ToolLike] }]);
      const answer = renderHits([op!], 'full', 'python');
      // Every line is a class, a field, a comment, the functional form's close, or the call.
      for (const line of answer.split('\n')) expect(line).toMatch(/^(class |    \w+: |#|    "|\}\)|[A-Z]\w* = TypedDict\(|async def h\.probe\()/);
    }
  });
});
