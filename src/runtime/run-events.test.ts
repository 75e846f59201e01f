import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryAuditSink } from '../audit/index.js';
import { Catalog } from '../catalog/index.js';
import { BUILTIN_DETECTORS, createPrivacy } from '../privacy/index.js';
import { createQuickJsEngine } from '../sandbox/index.js';
import { outcomeInvoker } from '../upstream/index.js';
import { executeProgram, type RuntimeOptions } from './execute.js';
import type { RunEvents } from './run-events.js';

describe('executeProgram live events', () => {
  const catalog = Catalog.fromSources([{ server: 'crm', tools: [
    { name: 'find', description: 'finds a contact', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } },
    { name: 'boom', description: 'always fails', inputSchema: { type: 'object', properties: {} } },
  ] }]);
  const engine = createQuickJsEngine({ poolSize: 1 });
  afterAll(() => engine.close());
  const limits = {
    cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000, maxResultBytes: 100_000,
    maxToolCalls: 10, toolCallTimeoutMs: 5_000, maxConcurrentCalls: 2, maxToolResultBytes: 100_000,
  };
  const timeline: string[] = [];
  // A real in-process upstream that writes down when each call reaches it.
  const invoker = outcomeInvoker({
    async callTool(_server, tool, args) {
      timeline.push(`upstream ${tool}`);
      if (tool === 'boom') return { content: [{ type: 'text', text: 'no' }], isError: true };
      return { content: [{ type: 'text', text: JSON.stringify({ email: `${String(args.q)}@example.org` }) }] };
    },
  });
  const events: RunEvents = {
    callStarted: (call) => timeline.push(`start ${call}`),
    callFinished: (record) => timeline.push(`${record.fate} ${record.call}${record.errorCode ? ` ${record.errorCode}` : ''}`),
    log: (entry) => timeline.push(`${entry.level} ${entry.text}`),
  };

  it('tells each call start (before the upstream sees it), each fate, and each console line in order, tokenized as the answer is', async () => {
    timeline.length = 0;
    const privacy = createPrivacy({ enabled: true, detectors: BUILTIN_DETECTORS, custom: [], servers: {}, maxEntries: 100 });
    const pii = privacy.openSession();
    const audit = createMemoryAuditSink();
    const options: RuntimeOptions = { engine, invoker, limits, maxTokens: 1_000, oversight: { audit } };
    const program = `
      console.log('for ada@example.org');
      const c = await crm.find({ q: 'ada' });
      console.warn('found', c.email);
      try { await crm.boom({}); } catch {}
      return c.email;`;
    const result = await executeProgram(program, catalog, options, undefined, { ...(pii ? { pii } : {}), events });
    expect(result.text).toBe('console:\nfor [EMAIL_1]\n[warn] found [EMAIL_1]\n\nresult:\n[EMAIL_1]');
    expect(timeline).toEqual([
      'log for [EMAIL_1]', 'start crm.find', 'upstream find', 'ok crm.find',
      'warn found [EMAIL_1]', 'start crm.boom', 'upstream boom', 'error crm.boom TOOL_ERROR',
    ]);
    // The audit counts what the answer tokenized (two log lines and the value), not the live copies too.
    expect(audit.records[0]?.pii.tokenized).toEqual({ EMAIL: 3 });
  });

  it('runs as before without events, and a throwing receiver harms nothing', async () => {
    const options: RuntimeOptions = { engine, invoker, limits, maxTokens: 1_000 };
    const plain = await executeProgram('console.log("x"); return (await crm.find({ q: "b" })).email', catalog, options);
    expect(plain.text).toBe('console:\nx\n\nresult:\nb@example.org');
    const broken: RunEvents = {
      callStarted: () => { throw new Error('receiver broke'); },
      callFinished: () => { throw new Error('receiver broke'); },
      log: () => { throw new Error('receiver broke'); },
    };
    const withBroken = await executeProgram('console.log("x"); return (await crm.find({ q: "b" })).email', catalog, options, undefined, { events: broken });
    expect(withBroken.text).toBe(plain.text);
    expect(withBroken.calls.map((c) => c.fate)).toEqual(['ok']);
  });
});
