// executeProgram with the type-check step, over the real QuickJS engine, a real in-process upstream
// and the real checker worker (dist/runtime/typecheck/check-worker.js: `npm run build` first):
// block refuses before any call, warn runs and adds warnings, a checker that fails inside never
// stops a run, and a program that names no namespace is never sent to the checker.
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../catalog/index.js';
import type { LogSeverity } from '../../common/index.js';
import { createQuickJsEngine } from '../../sandbox/index.js';
import { outcomeInvoker } from '../../upstream/index.js';
import { executeProgram, type RuntimeOptions } from '../execute.js';
import { createProgramChecker, type ProgramChecker } from './checker-client.js';
import { namesAny, type TypeCheckMode } from './run-check.js';

describe('executeProgram with a type-check', () => {
  const catalog = Catalog.fromSources([{ server: 'crm', tools: [
    {
      name: 'find',
      description: 'finds a contact',
      inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
      outputSchema: { type: 'object', properties: { email: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['email'] },
    },
  ] }]);
  const engine = createQuickJsEngine({ poolSize: 1 });
  const logs: string[] = [];
  const logger = { log: (severity: LogSeverity, message: string) => logs.push(`${severity} ${message}`) };
  const checker = createProgramChecker({ logger });
  afterAll(async () => {
    await Promise.all([engine.close(), checker.close()]);
  });
  const limits = {
    cpuMs: 1_000, wallMs: 10_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000, maxResultBytes: 100_000,
    maxToolCalls: 10, toolCallTimeoutMs: 5_000, maxConcurrentCalls: 2, maxToolResultBytes: 100_000,
  };
  let upstreamCalls = 0;
  const invoker = outcomeInvoker({
    async callTool() {
      upstreamCalls++;
      return { content: [], structuredContent: { email: 'ada@example.org', tags: ['a'] } };
    },
  });
  const options = (mode: TypeCheckMode, programChecker: ProgramChecker = checker): RuntimeOptions =>
    ({ engine, invoker, limits, maxTokens: 1_000, typecheck: { mode, checker: programChecker } });
  const WRONG = "const c = await crm.find({ q: 'ada' });\nreturn c.emial;";

  it('block: refuses a wrong program before its first call, naming the line and the right name', async () => {
    upstreamCalls = 0;
    const result = await executeProgram(WRONG, catalog, options('block'));
    expect(result.ok).toBe(false);
    expect(result.errorCode).toBe('TYPE_ERROR');
    expect(result.text).toContain("line 2, column 10: Property 'emial' does not exist");
    expect(result.text).toContain("Did you mean 'email'?");
    expect(result.text).toContain('2 | return c.emial;');
    expect(result.text).toContain('@ts-ignore');
    expect(upstreamCalls).toBe(0);
    expect(result.calls).toEqual([]);
  });

  it('block: runs a valid program, dynamic data included', async () => {
    upstreamCalls = 0;
    const source = "const c = await crm.find({ q: 'ada' });\nconst extra = JSON.parse('{\"n\":1}');\nreturn [c.email, c.tags.length, extra.n];";
    const result = await executeProgram(source, catalog, options('block'));
    expect(result.text).toBe('["ada@example.org",1,1]');
    expect(upstreamCalls).toBe(1);
  });

  it('warn: runs the program and adds the warnings to its answer', async () => {
    upstreamCalls = 0;
    const result = await executeProgram(WRONG, catalog, options('warn'));
    expect(upstreamCalls).toBe(1);
    expect(result.errorCode).toBeUndefined();
    expect(result.text).toContain("Type warnings (the program ran anyway): 1 problem against the API's declared types.\nline 2, column 10: Property 'emial'");
  });

  it('off: runs the program with no check', async () => {
    upstreamCalls = 0;
    const result = await executeProgram(WRONG, catalog, options('off'));
    expect(upstreamCalls).toBe(1);
    expect(result.text).not.toContain('Type');
  });

  it('runs unchecked, and logs, when the checker fails inside (its worker cannot start)', async () => {
    upstreamCalls = 0;
    logs.length = 0;
    const broken = createProgramChecker({ logger, entry: new URL('./no-such-worker.js', import.meta.url) });
    try {
      const result = await executeProgram(WRONG, catalog, options('block', broken));
      expect(upstreamCalls).toBe(1);
      expect(result.errorCode).toBeUndefined();
      expect(logs.some((l) => l.startsWith('warning type-checker worker failed'))).toBe(true);
    } finally {
      await broken.close();
    }
  });

  it('runs unchecked, and logs, while the checker is still loading; later runs do not wait for it', async () => {
    upstreamCalls = 0;
    logs.length = 0;
    // A cold worker cannot load TypeScript in a millisecond.
    const slow = createProgramChecker({ logger, timeoutMs: 1, warmupTimeoutMs: 1 });
    try {
      const result = await executeProgram(WRONG, catalog, options('block', slow));
      expect(upstreamCalls).toBe(1);
      expect(result.errorCode).toBeUndefined();
      expect(logs.some((l) => l.includes('still loading after 1 ms'))).toBe(true);
      expect(await slow.check(catalog, { source: 'return crm;', form: 'body', language: 'javascript', hostDeclarations: '' }))
        .toEqual({ ok: false, reason: 'the checker is still loading this catalog' });
    } finally {
      await slow.close();
    }
  });

  it('never asks the checker about a program that names no namespace', async () => {
    let asked = 0;
    const counting: ProgramChecker = { prepare() {}, check: async () => { asked++; return { ok: false, reason: 'unused' }; }, close: async () => {} };
    const result = await executeProgram('return 1 + 1;', catalog, options('block', counting));
    expect(result.text).toBe('2');
    expect(asked).toBe(0);
    await executeProgram("return await crm.find({ q: 'x' });", catalog, options('block', counting));
    expect(asked).toBe(1);
  });
});

describe('namesAny', () => {
  it('finds a namespace as a whole word only', () => {
    expect(namesAny('const x = await crm.find({})', ['crm'])).toBe(true);
    expect(namesAny('const crmx = 1; return scrm;', ['crm'])).toBe(false);
    expect(namesAny('return 1', [])).toBe(false);
  });
});
