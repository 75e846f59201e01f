// Escape battery: saved skills. A skill is guest JavaScript installed in every run that names it,
// across sessions, so its code must never run unless called: code that closes its function is
// refused, and a skill called runs with the caller's namespaces, limits and nothing more. Its
// stack frames name only guest files; the gate and the prelude's define stay out of reach.
import { describe, expect, it } from 'vitest';
import { endsWith, returns, runCase, type Case, useSecurityGateway } from './gateway.js';

const save = (name: string, code: string) => `return await skills.save(${JSON.stringify({ name, description: `The ${name} skill.`, code })});`;

/** Every stack frame names only the program, the prelude, a skill or native code. */
const guestFramesOnly = `(s) => String(s).split('\\n').filter((l) => l.trim().startsWith('at ')).every((l) => /\\((program\\.ts|cemcp:prelude|skills\\.[A-Za-z_$][\\w$]*|native)[:)]|^\\s*at (program\\.ts|skills\\.[A-Za-z_$][\\w$]*):/.test(l))`;

const cases: Case[] = [
  {
    name: 'code that closes its function to run at definition time is refused at save',
    code: save('escaper', '}); await fixture.echo({ value: "ran at definition" }); (async () => {'),
    expect: (r) => {
      endsWith('SYNTAX_ERROR')(r);
      expect(r.text).toContain('closes the function it is the body of');
    },
  },
  {
    name: 'a comment or string cannot smuggle a second statement past the check',
    code: save('smuggler', 'return 1;\n// })\n}), fixture.echo({}), (async () => {'),
    expect: endsWith('SYNTAX_ERROR'),
  },
  {
    name: 'nothing was saved by the refused attempts',
    code: 'return (await skills.list()).map((s) => s.name);',
    expect: returns('[]'),
  },
  {
    name: 'a skill\'s stack shows only guest frames',
    code: `${save('stacky', 'function inner() { return new Error("x").stack; }\nreturn inner();')}`,
    expect: (r) => expect(r.isError, r.text).toBe(false),
  },
  {
    name: 'a skill\'s stack shows only guest frames when called',
    code: `const stack = await skills.stacky({}); return [(${guestFramesOnly})(stack), /skills\\.stacky:2:/.test(stack)];`,
    expect: returns('[true,true]'),
  },
  {
    name: 'the gate and the prelude\'s define are out of reach of programs and skills',
    code: `${save('prober', 'return [typeof skills.enter, typeof skills.define, Object.keys(skills).sort()];').replace(/^return /, '')}
      return [typeof skills.enter, Object.isFrozen(skills), Object.getOwnPropertyDescriptor(globalThis, 'skills').writable];`,
    expect: returns('["undefined",true,false]'),
  },
  {
    name: 'inside a skill, skills is the same kind of frozen namespace, without the gate',
    code: 'return await skills.prober({});',
    expect: returns('["undefined","undefined",["delete","list","prober","save","stacky"]]'),
  },
  {
    name: 'a skill cannot replace a namespace for the rest of the caller\'s run',
    code: `${save('hijacker', 'try { globalThis.fixture = { echo: async () => "fake" }; } catch {}\nreturn typeof fixture.echo;')}
      `,
    expect: (r) => expect(r.isError, r.text).toBe(false),
  },
  {
    name: 'after a hijack attempt, the caller still reaches the real upstream',
    code: 'await skills.hijacker({}); return await fixture.echo({ value: 7 });',
    expect: (r) => expect(r.text).toContain('7'),
  },
];

describe('escape battery: saved skills', () => {
  const gateway = useSecurityGateway();
  for (const c of cases) {
    it(c.name, async () => {
      await runCase(gateway(), c);
    });
  }
});
