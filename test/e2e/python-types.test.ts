// Python signatures over the whole path: `cemcp types --language python` and `cemcp search
// --language python` with the npm reference servers behind them (36 tools). The module must be one
// python3 parses, runs and resolves every annotation of, with an async method per tool.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { checkPython } from '../support/python.js';
import { CLI, tempDir, writeConfig } from './harness.js';

const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const cemcp = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 120_000 });

let dir: string;
let config: string;
beforeAll(() => {
  dir = tempDir('cemcp-pytypes-');
  config = writeConfig(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cemcp types --language python', () => {
  it('prints the reference servers as a Python module python3 runs, a method per tool', { timeout: 240_000 }, () => {
    const types = cemcp(['types', '--config', config, '--language', 'python']);
    expect(types.status, types.stderr).toBe(0);
    expect(types.stdout).toMatch(/^from __future__ import annotations\nfrom typing import /);
    expect(types.stdout).toContain('\nclass memory:\n');
    expect(types.stdout).toContain('    async def read_graph(args: dict = {}) -> ReadGraphResult: "Read the entire knowledge graph"\n');
    expect(types.stdout).toMatch(/ {4}Relation = TypedDict\("Relation", \{"from": str, "to": str, "relationType": str\}\)\n/);
    const check = checkPython(types.stdout);
    expect(check.output).toMatch(/^ok /);
    expect(check.methods).toBe(36);

    const search = cemcp(['search', '--config', config, '--language', 'python', '--server', 'memory', 'create entities']);
    expect(search.status, search.stderr).toBe(0);
    expect(search.stdout).toContain('async def memory.create_entities(args: CreateEntitiesArgs) -> CreateEntitiesArgs\n');
  });
});
