// Escape battery, part 9: hostile tool definitions. Input schemas 5,000 properties wide,
// self-referring, with remote $refs, code in property names, __proto__ keys, an endless tools/list
// pagination, and (with a gateway of its own) one nested 10,000 deep: the gateway starts, renders,
// validates and keeps serving.
import { spawnSync } from 'node:child_process';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, search } from '../e2e/harness.js';
import { expectNoLeak, expectServes, gatewayEnv, HOSTILE_SERVER, returns, runCase, startSecurityGateway, type Case, type SecurityGateway } from './gateway.js';

/** What a program sees of a call: the tool's echo, or the ToolError code. */
const call = (tool: string, args: string): string => `try { return (await hostile.${tool}(${args})).tool; } catch (e) { return e.code; }`;

const cases: Case[] = [
  {
    name: 'an endless tools/list pagination is cut off; the upstream\'s tools stay few and usable',
    code: `const names = Object.keys(pages); return [names.length > 0 && names.length <= 1000, (await pages.page_tool({})).tool];`,
    expect: returns('[true,"page_tool"]'),
  },
  { name: 'a schema with 5,000 properties validates a call', code: call('wide_schema', '{ p1: "x", p4999: "y" }'), expect: returns('wide_schema') },
  {
    // ajv cannot compile a schema this wide (its code generator overflows the stack); the gateway
    // then lets the upstream judge the arguments, as for any schema it cannot compile.
    name: 'a wrong type against the 5,000-property schema is refused by name, or left to the upstream',
    code: `try { return (await hostile.wide_schema({ p42: 1 })).args; } catch (e) { return e.message; }`,
    expect: (r) => expect(r.text).toMatch(/p42/),
  },
  { name: 'a self-referring schema validates nested arguments without looping', code: call('self_ref', '{ next: { next: { next: {} } } }'), expect: returns('self_ref') },
  // `// @ts-nocheck`: a wrong argument on purpose, for the host's validation rather than the type-check.
  { name: 'a self-referring schema refuses a bad leaf by name', code: `try { await hostile.self_ref({ next: { next: 3 } }); } catch (e) { return e.code; } // @ts-nocheck`, expect: returns('ARGUMENT_INVALID') },
  {
    name: 'a remote $ref (metadata address) is never fetched: the call is judged without it',
    code: call('remote_ref', '{}'),
    expect: (r) => expect(r.text).toMatch(/^(remote_ref|ARGUMENT_INVALID)$/),
  },
  {
    name: 'code in property names, defaults and descriptions is never run',
    code: `const r = await hostile.code_in_schema({ "x'); process.exit(9); ('": 'v' }); return [r.tool, Object.keys(r.args)];`,
    expect: returns(`["code_in_schema",["x'); process.exit(9); ('"]]`),
  },
  {
    name: 'a __proto__ property in a schema is validated as data and pollutes nothing',
    code: `const args = JSON.parse('{"__proto__":"as data","constructor":7}'); const r = await hostile.proto_schema(args);
      return [r.args.__proto__, r.args.constructor, ({}).constructor === Object, Object.keys(Object.prototype).length];`,
    expect: returns('["as data",7,true,0]'),
  },
  {
    name: 'a __proto__ property of the wrong type is refused by the host check',
    code: `try { await hostile.proto_schema(JSON.parse('{"__proto__":5}')); return 'accepted'; } catch (e) { return e.code; }`,
    expect: (r) => expect(r.text).toMatch(/^(ARGUMENT_INVALID|accepted)$/),
  },
];

describe('escape battery: hostile tool definitions', () => {
  let gateway: SecurityGateway;

  beforeAll(async () => {
    gateway = await startSecurityGateway({
      upstreams: ['fixture', 'hostile'],
      hostileMode: 'schemas',
      extra: { pages: { command: process.execPath, args: [HOSTILE_SERVER, 'pages'] } },
    });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('starts and serves despite every hostile definition', async () => {
    await expectServes(gateway);
    expect(await gateway.run('return (await hostile.ok({})).ok')).toEqual({ text: 'true', isError: false });
  });

  for (const c of cases) it(c.name, () => runCase(gateway, c));

  it('the typed API is valid TypeScript in which schema text never becomes code', () => {
    const types = spawnSync(process.execPath, [CLI, 'types', '--config', gateway.configFile], { env: gatewayEnv(), encoding: 'utf8', timeout: 30_000 });
    expect(types.status, types.stderr).toBe(0);
    const file = ts.createSourceFile('api.d.ts', types.stdout, ts.ScriptTarget.Latest);
    expect((file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
    const identifiers = new Set<string>();
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, types.stdout);
    for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
      if (token === ts.SyntaxKind.Identifier) identifiers.add(scanner.getTokenText());
    }
    for (const word of ['process', 'exit', 'IGNORE', 'alert']) expect(identifiers.has(word), word).toBe(false);
  });

  it('search at full detail renders the hostile definitions within a bounded answer', async () => {
    for (const query of ['5,000 properties', 'catastrophic regex', '__proto__ keys']) {
      const found = await search(gateway.client, { query, detail: 'full' });
      expect(found.isError, found.text).toBe(false);
      expectNoLeak(found.text);
      // Twice execute's default 4,000-token budget, at ~4 characters a token: a hostile upstream
      // must not be able to push an unbounded answer into the model's context.
      expect(found.text.length, `search "${query}"`).toBeLessThan(32_000);
    }
    await expectServes(gateway);
  });
});

describe('escape battery: a tool definition nested 10,000 levels deep', () => {
  let gateway: SecurityGateway | undefined;

  afterAll(async () => {
    await gateway?.close();
  });

  // Its own gateway: a gateway that cannot start with this upstream must not take the other tests down.
  it('does not keep the gateway from starting, and its tool can be called', async () => {
    gateway = await startSecurityGateway({ upstreams: ['fixture', 'hostile'], hostileMode: 'deep' });
    await expectServes(gateway);
    const called = await gateway.run(call('deep_schema', '{ a: { a: { a: 1 } } }'));
    expect(called.text).toMatch(/^(deep_schema|ARGUMENT_INVALID)$/);
    const found = await search(gateway.client, { query: 'nested levels deep', detail: 'full' });
    expect(found.isError, found.text).toBe(false);
    expect(found.text.length).toBeLessThan(32_000);
  });
});
