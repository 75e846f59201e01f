import { describe, expect, it } from 'vitest';
import { DEFAULT_SKILL_BOUNDS, defineSkill, describeNameProblem, SkillInputError } from './skill-definition.js';

const bounds = { ...DEFAULT_SKILL_BOUNDS, maxCodeBytes: 200, maxDescriptionChars: 40, maxSchemaBytes: 300 };
const base = { name: 'weekly_report', description: 'Mails the weekly report.', code: 'return args.to;' };

async function refusal(input: unknown): Promise<SkillInputError> {
  const error = await defineSkill(input, bounds).then(() => undefined, (e: unknown) => e);
  if (!(error instanceof SkillInputError)) throw new Error(`expected a SkillInputError, got ${String(error)}`);
  return error;
}

describe('defineSkill', () => {
  it('keeps the source as given, compiles it with args in scope and infers the schema', async () => {
    const skill = await defineSkill(base, bounds, new Date('2026-01-02T03:04:05Z'));
    expect(skill.record).toEqual({
      name: 'weekly_report', description: 'Mails the weekly report.', code: 'return args.to;',
      inputSchema: { type: 'object', properties: { to: {} }, additionalProperties: false }, inferred: true, savedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(skill.program.code).toBe('(async (args) => {return args.to;\n})');
  });

  it('takes a given inputSchema, checked as JSON Schema, and refuses one that is not', async () => {
    const schema = { type: 'object', properties: { to: { type: 'string', format: 'email' } }, required: ['to'] };
    expect((await defineSkill({ ...base, inputSchema: schema }, bounds)).record).toMatchObject({ inputSchema: schema, inferred: false });
    expect((await refusal({ ...base, inputSchema: { type: 'object', properties: { to: { type: 'strin' } } } })).message).toMatch(/^inputSchema: not a valid JSON Schema: properties\.to\.type/);
    expect((await refusal({ ...base, inputSchema: { type: 'array' } })).message).toMatch(/type must be "object"/);
    expect((await refusal({ ...base, inputSchema: 'object' })).message).toMatch(/^inputSchema: expected a JSON Schema object/);
    expect((await refusal({ ...base, inputSchema: { type: 'object', description: 'x'.repeat(400) } })).message).toMatch(/over 300 bytes/);
  });

  it('reports a syntax error at the skill\'s own line', async () => {
    const error = await refusal({ ...base, code: 'const a = 1;\nconst b = ;\nreturn a;' });
    expect(error.code).toBe('SYNTAX_ERROR');
    expect(error.message).toMatch(/^code of skill "weekly_report": SyntaxError at line 2, column 11: .*\n {2}2 \| const b = ;/);
  });

  it('refuses code that closes its function to run something at definition time', async () => {
    const error = await refusal({ ...base, code: '}); crm.delete_all({}); (async () => {' });
    expect(error.message).toMatch(/closes the function it is the body of/);
  });

  it('refuses a single function without a block body, which would never be called', async () => {
    expect((await refusal({ ...base, code: 'async (args) => args.to' })).message).toMatch(/needs a block body/);
  });

  it('refuses a PII token in a string of the code or in the description, and takes look-alike code', async () => {
    expect((await refusal({ ...base, code: 'return crm.send({ to: "[EMAIL_1]" });' })).message).toMatch(/^code holds the personal-data token \[EMAIL_1\]/);
    expect((await refusal({ ...base, code: 'return `to ${args.a} [PHONE_12]`;' })).message).toMatch(/token \[PHONE_12\]/);
    expect((await refusal({ ...base, description: 'Mails [EMAIL_2].' })).message).toMatch(/^description holds the personal-data token \[EMAIL_2\]/);
    const COL_1 = 'const COL_1 = 0; return args.rows[COL_1];';
    expect((await defineSkill({ ...base, code: COL_1 }, bounds)).record.code).toBe(COL_1);
  });

  it('names the bad field of a save and how to fix it', async () => {
    expect((await refusal('x')).message).toMatch(/expects one object/);
    expect((await refusal({ ...base, extra: 1 })).message).toMatch(/unknown field "extra"/);
    expect((await refusal({ ...base, description: ' ' })).message).toMatch(/^description: expected a non-empty string/);
    expect((await refusal({ ...base, description: 'd'.repeat(41) })).message).toMatch(/at most 40 \(cemcp\.skills\.maxDescriptionChars\)/);
    expect((await refusal({ ...base, code: 5 })).message).toMatch(/^code: expected the program as a string/);
    expect((await refusal({ ...base, code: `return "${'x'.repeat(300)}";` })).message).toMatch(/at most 200 \(cemcp\.skills\.maxCodeBytes\)/);
  });
});

describe('describeNameProblem', () => {
  it('takes identifiers that clash with nothing', () => {
    expect(describeNameProblem('weekly_report')).toBeUndefined();
    expect(describeNameProblem('$x2')).toBeUndefined();
  });

  it('refuses the namespace\'s own functions, reserved words, built-ins and non-identifiers', () => {
    for (const name of ['save', 'list', 'delete', 'enter']) expect(describeNameProblem(name)).toMatch(/function of skills itself/);
    for (const name of ['class', 'await', 'eval', 'constructor', '__proto__', 'toString', 'JSON']) expect(describeNameProblem(name)).toMatch(/reserved word or built-in/);
    for (const name of ['2fast', 'my-skill', 'a b', '', 'x'.repeat(65)]) expect(describeNameProblem(name)).toMatch(/^name:/);
    expect(describeNameProblem(7)).toMatch(/expected a non-empty string/);
  });
});
