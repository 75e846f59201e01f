// Escape battery, part 7: a hostile upstream (test/fixtures/hostile-server.mjs). Its tool names
// (`__proto__`, `constructor`, quotes, newlines) become safe identifiers; each malformed answer,
// crash or hang gives the program a clear ToolError; the gateway and its other upstreams keep serving.
import { spawnSync } from 'node:child_process';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, FIXTURE_SERVER, search } from '../e2e/harness.js';
import { expectNoLeak, expectNoSecret, expectServes, gatewayEnv, returns, runCase, startSecurityGateway, type Case, type SecurityGateway } from './gateway.js';

/** Codes an upstream failure may carry to the program. */
const UPSTREAM_CODES = /^(UPSTREAM_[A-Z_]+|TOOL_ERROR|LIMIT_[A-Z_]+|RESULT_TOO_LARGE)$/;

/** Calls one hostile tool and reports either what it returned or the ToolError it threw. */
const callReport = (tool: string, args = '{}'): string => `try { const r = await hostile.${tool}(${args}); return { returned: r }; }
  catch (e) { return { name: e.name, code: e.code, message: String(e.message).slice(0, 500), messageLength: String(e.message).length, isToolError: e instanceof ToolError }; }`;

interface Report {
  returned?: unknown;
  name?: string;
  code?: string;
  message?: string;
  messageLength?: number;
  isToolError?: boolean;
}

const parseReport = (r: { text: string; isError: boolean }): Report => {
  expect(r.isError, r.text).toBe(false);
  return JSON.parse(r.text) as Report;
};

/** The program got a ToolError with an upstream code and a bounded message, not data. */
const clearToolError = (r: { text: string; isError: boolean }): Report => {
  const report = parseReport(r);
  expect(report.returned, JSON.stringify(report)).toBeUndefined();
  expect(report.isToolError, JSON.stringify(report)).toBe(true);
  expect(report.code).toMatch(UPSTREAM_CODES);
  expect(report.messageLength).toBeLessThan(10_000);
  expect(report.message).toMatch(/hostile/);
  return report;
};

const fault = (name: string, tool: string, check: (r: { text: string; isError: boolean }) => void = clearToolError): Case => ({ name, code: callReport(tool), expect: check });

const nameCases: Case[] = [
  {
    name: 'tool names __proto__, constructor and prototype become suffixed identifiers on a prototype-less namespace',
    code: `const keys = Object.keys(hostile);
      return [Object.getPrototypeOf(hostile), ['__proto__', 'constructor', 'prototype'].map((k) => Object.prototype.hasOwnProperty.call(hostile, k)),
        ['__proto___', 'constructor_', 'prototype_'].every((k) => keys.includes(k)), typeof ({}).constructor, Object.getPrototypeOf({}) === Object.prototype];`,
    expect: returns('[null,[false,false,false],true,"function",true]'),
  },
  {
    name: 'hostile.__proto___ calls the upstream tool literally named __proto__, and nothing reaches Object.prototype',
    code: `const a = await hostile.__proto___({ x: 1 }); const b = await hostile.constructor_({}); const c = await hostile.prototype_({});
      return [a.tool, b.tool, c.tool, a.args, Object.keys(Object.prototype).length, ({}).tool];`,
    expect: returns('["__proto__","constructor","prototype",{"x":1},0,null]'),
  },
  {
    name: 'tool names toString, valueOf, hasOwnProperty are plain tools and do not disturb the guest\'s built-ins',
    code: `const r = await hostile.toString({}); return [r.tool, String({}), typeof Object.prototype.valueOf, (await hostile.hasOwnProperty({})).tool];`,
    expect: returns('["toString","[object Object]","function","hasOwnProperty"]'),
  },
  {
    name: 'names with quotes, backticks and newlines map to distinct identifiers that call the right tool',
    code: `const names = Object.keys(hostile).filter((k) => /^a_b(_\\d+)?$/.test(k)); const tools = [];
      for (const k of names) tools.push((await hostile[k]({})).tool); return tools.sort();`,
    expect: returns(JSON.stringify(['a"b', "a'b", 'a`b', 'a\nb', 'a-b', 'a_b'].sort())),
  },
  {
    name: 'a tool named then makes the namespace a thenable that only rejects; nothing crosses',
    code: `try { await hostile; return 'resolved'; } catch (e) { return e.name; }`,
    // The then-trap never calls resolve: the run is seen to be stuck and ends (SANDBOX_TIMEOUT).
    expect: (r) => expect(r.text).toMatch(/^(TypeError|resolved)$|\[SANDBOX_TIMEOUT\]/),
  },
  {
    name: 'a 5,000-character tool name and an empty one are callable and harmless',
    code: `const long = Object.keys(hostile).find((k) => k.length >= 5000); return [(await hostile[long]({})).tool.length, (await hostile._({})).tool];`,
    expect: returns('[5000,""]'),
  },
];

const faultCases: Case[] = [
  fault('a response with neither result nor error is a ToolError', 'rpc_no_result'),
  fault('a response with jsonrpc "1.0" is a ToolError', 'rpc_bad_version'),
  fault('a result whose content is not an array is a ToolError', 'rpc_bad_result'),
  fault('an error member that is a string is a ToolError', 'rpc_error_string'),
  fault('a JSON-RPC error with a 1 MB message and __proto__ data is a bounded ToolError', 'rpc_error_huge'),
  fault('a line that is not JSON is a ToolError', 'invalid_json'),
  fault('a response with an id nobody asked for is ignored: the call times out as a ToolError', 'wrong_id'),
  fault('the id as a string either matches or times out, never confuses calls', 'string_id', (r) => {
    const report = parseReport(r);
    if (report.returned === undefined) clearToolError(r);
    else expect(report.returned).toBe('string id');
  }),
  fault('a tool answering twice delivers the first answer only', 'answer_twice', (r) => expect(parseReport(r).returned).toBe('first')),
  fault('__proto__ keys in a JSON-RPC result neither pollute the host nor forge isError or structuredContent', 'proto_rpc', (r) => {
    expect(r.text).not.toContain('HOST_POLLUTED');
    const report = parseReport(r);
    if (report.returned === undefined) expect(report.code).not.toBe('TOOL_ERROR');
    else expect(report.returned).toBe('clean');
  }),
  {
    name: '__proto__ keys in a JSON text result do not pollute the guest',
    code: `const r = await hostile.proto_text({}); return [r.value, ({}).polluted === undefined, ({}).isError === undefined, Object.getPrototypeOf(r) === Object.prototype, typeof r.constructor];`,
    expect: returns('[1,true,true,true,"object"]'),
  },
  fault('a JSON text result nested 100,000 deep is refused as a ToolError or by a named limit', 'deep_result', (r) => {
    if (r.isError) expect(r.text).toMatch(/\[(SANDBOX_STACK|SANDBOX_MEMORY|LIMIT_[A-Z_]+)\]/);
    else clearToolError(r);
  }),
  fault('structuredContent nested 5,000 deep stays contained', 'deep_structured', (r) => {
    if (r.isError) expect(r.text).toMatch(/\[(SANDBOX_STACK|SANDBOX_MEMORY|LIMIT_[A-Z_]+)\]/);
    else expect(r.text.length).toBeLessThan(64_000);
  }),
  fault('an 8 MB result never reaches the program whole', 'big_result', (r) => {
    if (r.isError) expect(r.text).toMatch(/\[(SANDBOX_MEMORY|LIMIT_[A-Z_]+)\]/);
    else clearToolError(r);
  }),
  fault('a server-to-client request (sampling, roots) is refused: the upstream learns nothing', 'server_request', (r) => {
    const report = parseReport(r);
    const answers = report.returned as { sampling: Record<string, unknown>; roots: Record<string, unknown> };
    expect(answers.sampling.result).toBeUndefined();
    expect(answers.roots.result).toBeUndefined();
  }),
  fault('a tool that never answers times out as UPSTREAM_TIMEOUT', 'hang', (r) => expect(clearToolError(r).code).toBe('UPSTREAM_TIMEOUT')),
  fault('an upstream that writes half a line and exits is a ToolError', 'half_line_exit'),
  fault('an upstream that crashes mid-call is UPSTREAM_UNAVAILABLE', 'crash', (r) => expect(clearToolError(r).code).toBe('UPSTREAM_UNAVAILABLE')),
  {
    name: 'an upstream that dumps its env to stderr and dies does not put that env in any program-visible error',
    code: `await hostile.secret_stderr({}).catch(() => {}); await hostile.crash({}).catch(() => {});
      const messages = []; for (let i = 0; i < 3; i++) { try { await hostile.ok({}); } catch (e) { messages.push(e.message); } }
      return messages;`,
    expect: (r) => expect(r.isError, r.text).toBe(false),
  },
];

describe('escape battery: a hostile upstream', () => {
  let gateway: SecurityGateway;

  /** The hostile upstream answers again (restarted if it died), and the well-behaved one never stopped. */
  const expectUpstreamsServe = async (): Promise<void> => {
    await expect.poll(async () => (await gateway.run('return (await hostile.ok({})).ok')).text, { timeout: 15_000, interval: 200 }).toBe('true');
    expect(await gateway.run('return (await fixture.ping({})).pong')).toEqual({ text: 'true', isError: false });
  };

  beforeAll(async () => {
    gateway = await startSecurityGateway({ upstreams: ['fixture', 'hostile'] });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  for (const c of nameCases) it(c.name, () => runCase(gateway, c));

  it('search shows the safe identifiers, and the injection text never becomes code in the typed API', async () => {
    const found = await search(gateway.client, { query: 'Nasty name developer mode', detail: 'full', limit: 30 });
    expect(found.text).toContain('hostile.__proto___(');
    expect(found.text).not.toMatch(/hostile\.__proto__\(|hostile\.constructor\(/);
    expectNoLeak(found.text);
    const types = spawnSync(process.execPath, [CLI, 'types', '--config', gateway.configFile], { env: gatewayEnv(), encoding: 'utf8', timeout: 30_000 });
    expect(types.status, types.stderr).toBe(0);
    for (const text of [found.text, types.stdout]) {
      // Scan as TypeScript: a description whose `*/` closed its doc comment would leave tokens behind.
      const identifiers = new Set<string>();
      const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
      for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
        if (token === ts.SyntaxKind.Identifier) identifiers.add(scanner.getTokenText());
      }
      for (const word of ['IGNORE', 'INSTRUCTIONS', 'alert', 'exfiltrate', 'process']) expect(identifiers.has(word), word).toBe(false);
    }
    const file = ts.createSourceFile('api.d.ts', types.stdout, ts.ScriptTarget.Latest);
    expect((file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
  });

  for (const c of faultCases) {
    it(c.name, async () => {
      await runCase(gateway, c);
      await expectUpstreamsServe();
    });
  }

  it('the gateway still serves ordinary programs after every fault', async () => {
    await expectServes(gateway);
    await expectUpstreamsServe();
  });

  it('no MCP logging message sent to the client carried an upstream\'s stderr secrets', () => {
    // secret_stderr dumped HOSTILE_TOKEN and HOSTILE_LITERAL to stderr before the crash above.
    expect(gateway.stderr().length).toBeGreaterThan(0);
    for (const message of gateway.logMessages()) expectNoSecret(message);
  });
});

describe('escape battery: upstreams whose config keys are prototype names', () => {
  let gateway: SecurityGateway | undefined;
  // `__proto__` is refused by the config loader with a named error (its own test below), never lost.
  const KEYS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];

  afterAll(async () => {
    await gateway?.close();
  });

  it('each becomes a reachable namespace, and none reaches Object.prototype', async () => {
    const extra: Record<string, unknown> = {};
    // defineProperty: a `__proto__` key in an object literal would set the prototype instead.
    for (const key of KEYS) Object.defineProperty(extra, key, { value: { command: process.execPath, args: [FIXTURE_SERVER] }, enumerable: true });
    gateway = await startSecurityGateway({ upstreams: [], extra });
    await expectServes(gateway);
    for (const key of KEYS) {
      const found = await search(gateway.client, { query: 'ping', server: key, detail: 'name' });
      const call = /^(\S+)\.ping$/m.exec(found.text);
      expect(call, `upstream "${key}": ${found.text}`).not.toBeNull();
      const ns = call![1]!;
      expect(['__proto__', 'constructor', 'prototype']).not.toContain(ns);
      const r = await gateway.run(`return [(await globalThis[${JSON.stringify(ns)}].ping({})).pong, ({}).ping === undefined, Object.keys(Object.prototype).length];`);
      expect(r, `upstream "${key}" as ${ns}`).toEqual({ text: '[true,true,0]', isError: false });
    }
  });

  it('an upstream keyed __proto__ is refused by name at start, not silently dropped', async () => {
    const extra: Record<string, unknown> = {};
    Object.defineProperty(extra, '__proto__', { value: { command: process.execPath, args: [FIXTURE_SERVER] }, enumerable: true });
    await expect(startSecurityGateway({ upstreams: [], extra })).rejects.toThrow(/mcpServers\.__proto__: the name "__proto__" is not allowed/);
  });
});
