// The search evaluation's OpenAPI question sets (eval/questions/*.json with kind "openapi"): each
// spec loads through cemcp's real loader and catalog, and every answer names an operation that
// catalog exposes. Sets of other kinds (kind "mcp") are checked by their own test, not here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog, type Operation } from '../../src/catalog/index.js';
import { OpenApiSourceSchema } from '../../src/config/index.js';
import { createOpenApiSource } from '../../src/upstream/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const QUESTIONS = path.join(ROOT, 'eval/questions');
const MIN_QUESTIONS = 40;
const MIN_PER_SPLIT = 20;

interface Question {
  readonly id: string;
  readonly q: string;
  readonly answers: readonly string[];
  readonly split: string;
}

interface QuestionFile {
  readonly catalog: string;
  readonly kind: string;
  readonly spec?: string;
  readonly questions: readonly Question[];
}

const files = readdirSync(QUESTIONS).filter((f) => f.endsWith('.json')).sort()
  .map((file) => ({ file, set: JSON.parse(readFileSync(path.join(QUESTIONS, file), 'utf8')) as QuestionFile }));
// Only OpenAPI sets are checked here; an MCP set names tools of live servers, not of a spec.
const openapi = files.filter(({ set }) => set.kind === 'openapi');

describe('eval/questions', () => {
  it('every file declares its kind, and there are at least four OpenAPI sets', () => {
    for (const { file, set } of files) expect(typeof set.kind === 'string' && set.kind.length > 0, `${file}: "kind"`).toBe(true);
    expect(openapi.length).toBeGreaterThanOrEqual(4);
  });

  it('question ids are unique across all OpenAPI sets', () => {
    const ids = openapi.flatMap(({ set }) => set.questions.map((q) => q.id));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });
});

for (const { file, set } of openapi) {
  describe(`eval/questions/${file}`, () => {
    let operations: ReadonlyMap<string, Operation>;

    beforeAll(async () => {
      const spec = path.join(ROOT, set.spec ?? '');
      const source = await createOpenApiSource(set.catalog, OpenApiSourceSchema.parse({ spec, baseUrl: 'https://example.invalid' }));
      const catalog = Catalog.fromSources([{ server: set.catalog, tools: source.tools }]);
      operations = new Map(catalog.operations.map((op) => [op.callName, op]));
    });

    it('names its catalog after the file and a vendored spec under eval/specs/', () => {
      expect(set.catalog).toBe(path.basename(file, '.json'));
      expect(set.spec).toMatch(/^eval\/specs\/[a-z0-9-]+\.json\.gz$/);
      expect(existsSync(path.join(ROOT, set.spec ?? ''))).toBe(true);
      expect(operations.size).toBeGreaterThan(100);
    });

    it(`has at least ${MIN_QUESTIONS} questions with unique ids and texts, at least ${MIN_PER_SPLIT} in each split`, () => {
      const { questions } = set;
      expect(questions.length).toBeGreaterThanOrEqual(MIN_QUESTIONS);
      const ids = questions.map((q) => q.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(new RegExp(`^${set.catalog}-\\d{2,}$`));
      const texts = questions.map((q) => q.q.trim().toLowerCase());
      expect(texts.filter((t, i) => texts.indexOf(t) !== i)).toEqual([]);
      for (const q of questions) expect(['tune', 'heldout'], q.id).toContain(q.split);
      expect(questions.filter((q) => q.split === 'tune').length).toBeGreaterThanOrEqual(MIN_PER_SPLIT);
      expect(questions.filter((q) => q.split === 'heldout').length).toBeGreaterThanOrEqual(MIN_PER_SPLIT);
    });

    it('answers name existing operations of the spec, as `namespace.name`', () => {
      const missing: string[] = [];
      for (const q of set.questions) {
        expect(q.answers.length, q.id).toBeGreaterThan(0);
        expect(new Set(q.answers).size, q.id).toBe(q.answers.length);
        for (const answer of q.answers) if (!operations.has(answer)) missing.push(`${q.id}: ${answer}`);
      }
      expect(missing).toEqual([]);
    });

    it('asks in words of its own: no question quotes an answer\'s name or repeats its summary', () => {
      for (const q of set.questions) {
        const text = q.q.trim().toLowerCase();
        expect(text.length, q.id).toBeGreaterThan(5);
        for (const answer of q.answers) {
          const op = operations.get(answer);
          if (!op) continue;
          expect(text, q.id).not.toContain(op.name.toLowerCase());
          const summary = op.description.split(/\.(\s|$)/)[0]?.trim().toLowerCase() ?? '';
          expect(text.replace(/[.?!]+$/, ''), q.id).not.toBe(summary);
        }
      }
    });
  });
}
