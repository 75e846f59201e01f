// The mcp-popular question set (eval/questions/mcp-popular.json) against its vendored catalog,
// loaded through cemcp's own catalog code: every answer is a call a program could make, ids are
// unique, the tune/heldout halves are balanced, and no question copies a tool description.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Catalog, type ToolLike } from '../../src/catalog/index.js';

interface Question { readonly id: string; readonly q: string; readonly answers: readonly string[]; readonly split: string }
interface QuestionFile { readonly catalog: string; readonly kind: string; readonly source: string; readonly questions: readonly Question[] }
interface VendoredServer { readonly name: string; readonly package: string; readonly version: string; readonly license: string; readonly tools: readonly ToolLike[] }

const root = new URL('../../', import.meta.url);
const file = JSON.parse(readFileSync(new URL('eval/questions/mcp-popular.json', root), 'utf8')) as QuestionFile;
const { servers } = JSON.parse(gunzipSync(readFileSync(new URL(file.source, root))).toString('utf8')) as { servers: VendoredServer[] };
const catalog = Catalog.fromSources(servers.map((s) => ({ server: s.name, tools: s.tools })));

/** Runs of `n` consecutive lower-case words. */
function shingles(text: string, n: number): Set<string> {
  const words = text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const out = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) out.add(words.slice(i, i + n).join(' '));
  return out;
}

describe('eval/questions/mcp-popular.json', () => {
  it('names its catalog and the vendored source', () => {
    expect(file).toMatchObject({ catalog: 'mcp-popular', kind: 'mcp', source: 'eval/catalogs/mcp-popular.json.gz' });
  });

  it('loads the vendored catalog of about 20 permissively licensed servers', () => {
    expect(servers.length).toBeGreaterThanOrEqual(18);
    expect(catalog.operations.length).toBeGreaterThanOrEqual(250);
    for (const s of servers) expect(s.license, s.name).toMatch(/^(MIT|Apache-2\.0|BSD-[23]-Clause|ISC)$/);
    expect(new Set(servers.map((s) => s.name)).size).toBe(servers.length);
  });

  it('has at least 50 questions with unique ids and non-empty answers', () => {
    expect(file.questions.length).toBeGreaterThanOrEqual(50);
    expect(new Set(file.questions.map((q) => q.id)).size).toBe(file.questions.length);
    for (const q of file.questions) {
      expect(q.q.trim(), q.id).not.toBe('');
      expect(q.answers.length, q.id).toBeGreaterThan(0);
      expect(new Set(q.answers).size, q.id).toBe(q.answers.length);
    }
  });

  it('answers only with calls the catalog has, written namespace.name', () => {
    const missing = file.questions.flatMap((q) => q.answers.filter((a) => {
      const [namespace = '', name = '', ...rest] = a.split('.');
      return rest.length > 0 || catalog.find(namespace, name) === undefined;
    }).map((a) => `${q.id}: ${a}`));
    expect(missing).toEqual([]);
  });

  it('alternates tune and heldout, at least 25 each', () => {
    file.questions.forEach((q, i) => expect(q.split, q.id).toBe(i % 2 === 0 ? 'tune' : 'heldout'));
    for (const split of ['tune', 'heldout']) {
      expect(file.questions.filter((q) => q.split === split).length).toBeGreaterThanOrEqual(25);
    }
  });

  it('spreads over most servers and includes cross-server ambiguity', () => {
    const namespaces = new Set(file.questions.flatMap((q) => q.answers.map((a) => a.split('.')[0])));
    expect(namespaces.size).toBeGreaterThanOrEqual(Math.ceil(servers.length * 0.8));
    const crossServer = file.questions.filter((q) => new Set(q.answers.map((a) => a.split('.')[0])).size > 1);
    expect(crossServer.length).toBeGreaterThanOrEqual(8);
  });

  it('never copies six words in a row from a tool description', () => {
    const described = catalog.operations.map((op) => ({ call: op.callName, runs: shingles(op.description, 6) }));
    const copied = file.questions.flatMap((q) => {
      const runs = [...shingles(q.q, 6)];
      return described.filter((d) => runs.some((r) => d.runs.has(r))).map((d) => `${q.id} ~ ${d.call}`);
    });
    expect(copied).toEqual([]);
  });
});
