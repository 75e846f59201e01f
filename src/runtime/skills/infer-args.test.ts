import { describe, expect, it } from 'vitest';
import { transpileProgram } from '../transpile.js';
import { inferArgs } from './infer-args.js';

const infer = async (code: string) => inferArgs((await transpileProgram(code, { parameter: 'args' })).code);

describe('inferArgs', () => {
  it('names the fields a body reads from args, typed only by telling use', async () => {
    const { schema, fields } = await infer('const n = args.limit;\nconst ids = args.ids.map((x) => x);\nreturn [args.email.trim(), args["label"], args.user.id, args.text.length];');
    expect(fields).toEqual(['limit', 'ids', 'email', 'label', 'user', 'text']);
    expect(schema).toEqual({
      type: 'object',
      properties: { limit: {}, ids: { type: 'array' }, email: { type: 'string' }, label: {}, user: { type: 'object' }, text: {} },
      additionalProperties: false,
    });
  });

  it('reads destructuring of args, with literal defaults typed', async () => {
    const { schema } = await infer('const { email, limit = 10, dry = false, tags = [] } = args;\nreturn email;');
    expect(schema['properties']).toEqual({ email: {}, limit: { type: 'number' }, dry: { type: 'boolean' }, tags: { type: 'array' } });
  });

  it('reads a destructured parameter of a single function, TypeScript included', async () => {
    const { schema } = await infer('async ({ to, subject = "hi" }: { to: string; subject?: string }) => {\n  return to + subject;\n}');
    expect(schema).toEqual({ type: 'object', properties: { to: {}, subject: { type: 'string' } }, additionalProperties: false });
  });

  it('follows a single function whose parameter has another name', async () => {
    const { fields } = await infer('async (input) => {\n  return input.query.toLowerCase();\n}');
    expect(fields).toEqual(['query']);
  });

  it('leaves unnamed fields allowed when args is used as a whole or by a computed key', async () => {
    for (const code of ['return Object.keys(args);', 'const k = "a"; return args[k];', 'const { a, ...rest } = args; return rest;', 'return helper(args.a, args);']) {
      const { schema } = await infer(code);
      expect(schema['additionalProperties']).toBeUndefined();
    }
  });

  it('says nothing for sure when two uses disagree, and ignores a nested function shadowing args', async () => {
    const { schema } = await infer('const f = (args) => args.other; args.x.trim(); args.x.map(String); return f;');
    expect(schema['properties']).toEqual({ x: {} });
  });

  it('takes any object when the code reads no field', async () => {
    expect((await infer('return 42;')).schema).toEqual({ type: 'object', properties: {} });
  });
});
