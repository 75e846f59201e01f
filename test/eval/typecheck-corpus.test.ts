// Checks the type-check evaluation corpus itself (eval/typecheck/): well-formed metadata, both
// halves balanced by class, and, with no checker in the way (cemcp.typecheck.mode "off", or a
// build without a checker), every valid program runs ok and every wrong one fails at its fault's
// line after a real upstream call. Needs the build (npm test builds first).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without types, shared with `npm run eval:typecheck`.
import { CLASSES, CORPUS_DIR, REAL_SERVERS, evaluateCorpus, loadCorpus, metadataProblems, namesLine } from '../../eval/typecheck-eval.mjs';

interface Meta { kind: 'valid' | 'wrong'; servers: string[]; class?: string; line?: number; expect?: string[] }
interface Program { id: string; split: string; target: string; language: string; code: string; meta: Meta }
interface Outcome { ok: boolean; text: string; errorCode?: string; upstreamCalls: number }
interface Row { program: Program; outcome: Outcome }

const programs = loadCorpus() as Program[];
const catalog = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(CORPUS_DIR, '../catalogs/mcp-popular.json.gz'))).toString('utf8')) as {
  servers: { name: string; tools: { name: string }[] }[];
};
const catalogServers = new Set(catalog.servers.map((s) => s.name).filter((n) => !REAL_SERVERS.includes(n)));

describe('type-check evaluation corpus', () => {
  it('has well-formed metadata on every program', () => {
    expect(programs.flatMap((p) => metadataProblems(p) as string[])).toEqual([]);
    for (const p of programs.filter((q) => q.target === 'catalog')) {
      for (const server of p.meta.servers) expect(catalogServers.has(server), `${p.id}: "${server}" is not a catalog server`).toBe(true);
    }
  });

  it('holds at least 60 valid and 60 wrong programs, split in two halves balanced by class, in JS and TS', () => {
    const kind = (k: string) => programs.filter((p) => p.meta.kind === k);
    expect(kind('valid').length).toBeGreaterThanOrEqual(60);
    expect(kind('wrong').length).toBeGreaterThanOrEqual(60);
    for (const cls of CLASSES as string[]) {
      const count = (split: string) => programs.filter((p) => p.split === split && p.meta.class === cls).length;
      expect(count('tune'), `${cls} in tune`).toBeGreaterThanOrEqual(3);
      expect(Math.abs(count('tune') - count('heldout')), `${cls}: tune ${count('tune')}, heldout ${count('heldout')}`).toBeLessThanOrEqual(1);
    }
    for (const split of ['tune', 'heldout']) {
      for (const k of ['valid', 'wrong']) {
        const part = programs.filter((p) => p.split === split && p.meta.kind === k);
        expect(new Set(part.map((p) => p.language)), `${split} ${k}`).toEqual(new Set(['javascript', 'typescript']));
        expect(new Set(part.map((p) => p.target)), `${split} ${k}`).toEqual(new Set(['real', 'catalog']));
      }
    }
  });

  it('answers catalog calls only from samples of tools the catalog has', () => {
    const samples = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'catalog-samples.json'), 'utf8')) as Record<string, unknown>;
    const tools = new Set(catalog.servers.flatMap((s) => s.tools.map((t) => `${s.name}.${t.name}`)));
    expect(Object.keys(samples).filter((key) => !tools.has(key))).toEqual([]);
  });

  it('runs every valid program ok, and fails every wrong one at its line after a real call, with no checker', async () => {
    // One at a time: server-memory reads and rewrites its whole graph file on every call, so
    // programs running at once against it can lose each other's entities (a flake seen at 4).
    const rows = (await evaluateCorpus({ programs, mode: 'off', concurrency: 1 })) as Row[];
    expect(rows.length).toBe(programs.length);
    const problems: string[] = [];
    for (const { program: p, outcome: o } of rows) {
      const head = o.text.split('\n').slice(0, 2).join(' | ');
      if (p.meta.kind === 'valid') {
        if (!o.ok) problems.push(`${p.id}: a valid program failed: ${head}`);
        else if (o.upstreamCalls === 0) problems.push(`${p.id}: a valid program made no upstream call`);
        else if (/^\(no return value/.test(o.text)) problems.push(`${p.id}: a valid program returned nothing`);
      } else {
        if (o.ok) problems.push(`${p.id}: a wrong program ran ok`);
        else if (o.upstreamCalls === 0) problems.push(`${p.id}: failed before its valid call: ${head}`);
        else if (!namesLine(o.text, p.meta.line)) problems.push(`${p.id}: failed elsewhere than line ${p.meta.line}: ${head}`);
      }
    }
    expect(problems).toEqual([]);
  }, 150_000);
});
