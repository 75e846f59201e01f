import { describe, expect, it } from 'vitest';
import { referencedSkills, skillNamesIn } from './skill-references.js';

const code: Record<string, string> = {
  report: 'const rows = await skills.rows({}); return skills?.format({ rows });',
  rows: 'return crm.list({});',
  format: 'return args.rows.length;',
  other: 'return 1;',
};
const skills = new Map(Object.keys(code).map((name) => [name, {}]));
const refs = (program: string) => referencedSkills(program, skills, async (name) => code[name]);

describe('referencedSkills', () => {
  it('sends the skills a program names and those they name in turn', async () => {
    expect(await refs('return await skills.report({});')).toEqual(['format', 'report', 'rows']);
    expect(await refs('return await globalThis.skills.other({}) + await skills.missing({});')).toEqual(['other']);
  });

  it('sends none when the program does not call one: list and save need none, strings and comments say nothing', async () => {
    expect(await refs('return await crm.list({});')).toEqual([]);
    expect(await refs('return await skills.list();')).toEqual([]);
    expect(await refs('// uses skills\nreturn await skills.save({ description: "skills for skills[x]", code: `skills` });')).toEqual([]);
  });

  it('sends every skill when one may be reached by a computed name', async () => {
    expect(await refs('const name = "rows"; return skills[name]({});')).toEqual(['format', 'other', 'report', 'rows']);
    expect(await refs('const s = skills; return s.rows({});')).toHaveLength(4);
  });
});

describe('skillNamesIn', () => {
  it('reads names after skills. and skills?., and takes an unparsable source as naming them all', () => {
    expect(skillNamesIn('a.skills.x(); skills?.y();')).toEqual(new Set(['x', 'y']));
    expect(skillNamesIn('skills.x( "unterminated')).toBe('all');
    expect(skillNamesIn('return 1 "unterminated')).toEqual(new Set());
  });
});
