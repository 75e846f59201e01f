import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { renderSkillsDeclaration, withSkills } from './with-skills.js';

const base = Catalog.fromSources([{ server: 'crm', tools: [{ name: 'find', description: 'Finds a contact.', inputSchema: { type: 'object' } }] }]);
const report = { name: 'weekly_report', description: 'Mails the weekly sales report to a manager.', inputSchema: { type: 'object', properties: { to: { type: 'string' }, week: { type: 'number' } }, required: ['to'] } };

describe('withSkills', () => {
  it('adds each skill as an operation of skills that search finds by its description', () => {
    const catalog = withSkills(base, [report]);
    expect(catalog.find('skills', 'weekly_report')).toMatchObject({ server: 'skills', callName: 'skills.weekly_report', inputSchema: report.inputSchema });
    expect(catalog.search('mail the sales report')[0]?.operation.callName).toBe('skills.weekly_report');
    expect(base.find('skills', 'weekly_report')).toBeUndefined();
  });

  it('replaces the skills of an earlier overlay, and answers the same catalog when there are none', () => {
    expect(withSkills(base, [])).toBe(base);
    const once = withSkills(base, [report]);
    const again = withSkills(once, [{ ...report, name: 'other' }]);
    expect(again.operations.map((op) => op.callName)).toEqual(['crm.find', 'skills.other']);
    expect(withSkills(once, []).operations.map((op) => op.callName)).toEqual(['crm.find']);
  });
});

describe('renderSkillsDeclaration', () => {
  it('declares save, list, delete and each skill typed by its schema', () => {
    const text = renderSkillsDeclaration([report, { name: 'any_args', description: '', inputSchema: { type: 'object', properties: { a: {} } } }]);
    expect(text).toMatch(/^declare const skills: \{\n/);
    expect(text).toContain('  delete(name: string): Promise<boolean>;');
    expect(text).toContain('  /** Mails the weekly sales report to a manager */\n  weekly_report(args: { to: string; week?: number }): Promise<unknown>;');
    expect(text).toContain('  any_args(args?: { a?: unknown }): Promise<unknown>;');
    expect(text.endsWith('};')).toBe(true);
  });
});
