import { describe, expect, it } from 'vitest';
import { referencedSkills } from './skill-references.js';

const skills = new Map([
  ['report', { code: 'const rows = await skills.rows({}); return skills?.format({ rows });' }],
  ['rows', { code: 'return crm.list({});' }],
  ['format', { code: 'return args.rows.length;' }],
  ['other', { code: 'return 1;' }],
]);

describe('referencedSkills', () => {
  it('sends the skills a program names and those they name in turn', () => {
    expect(referencedSkills('return await skills.report({});', skills)).toEqual(['format', 'report', 'rows']);
    expect(referencedSkills('return await skills.other({}) + await skills.missing({});', skills)).toEqual(['other']);
  });

  it('sends none when the program does not use skills, and list/save need none', () => {
    expect(referencedSkills('return await crm.list({});', skills)).toEqual([]);
    expect(referencedSkills('return await skills.list();', skills)).toEqual([]);
  });

  it('sends every skill when one may be reached by a computed name', () => {
    expect(referencedSkills('const name = "rows"; return skills[name]({});', skills)).toEqual(['format', 'other', 'report', 'rows']);
    expect(referencedSkills('const s = skills; return s.rows({});', skills)).toHaveLength(4);
  });
});
