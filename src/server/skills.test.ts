// Saved skills through GatewayService, with the real engine (dist/ worker), store and policy: a
// skill saved in one session runs in another, inside the calling run (its calls count toward the
// caller's limits and pass the caller's policy); saving is admitted by policy and audited.
import { afterAll, describe, expect, it } from 'vitest';
import { createPolicy, type AuditRecord, type PolicySettings } from '../audit/index.js';
import { Catalog } from '../catalog/index.js';
import { silentLogger, type ToolInvoker } from '../common/index.js';
import { DEFAULT_SKILL_BOUNDS, SkillLibrary, skillsNamespace, type ExecuteContext } from '../runtime/index.js';
import { createQuickJsEngine } from '../sandbox/index.js';
import { createMemorySessionStore, GATEWAY_RECORDS_ID, storeRecords, type SessionStore } from '../session/index.js';
import { GatewayService } from './gateway-service.js';

const catalog = Catalog.fromSources([{
  server: 'crm',
  tools: [
    { name: 'find', description: 'Finds a contact by name.', inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
    { name: 'wipe', description: 'Deletes every contact.', inputSchema: { type: 'object' } },
  ],
}]);

const calls: string[] = [];
const invoker: ToolInvoker = {
  async callTool(_server, tool, args) {
    calls.push(`${tool} ${JSON.stringify(args)}`);
    return { ok: true, value: tool === 'find' ? { email: `${String(args['name'])}@example.com` } : { wiped: true } };
  },
};

const engine = createQuickJsEngine({ poolSize: 1 });
const limits = {
  cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000,
  maxResultBytes: 100_000, maxToolCalls: 4, toolCallTimeoutMs: 1_000, maxConcurrentCalls: 4, maxToolResultBytes: 50_000,
};
const noPolicy: PolicySettings = { allow: [], deny: [], confirm: [], destructive: 'allow' };

/** A gateway process over `store`, with its own skill library and policy. */
function gateway(store: SessionStore, policy: Partial<PolicySettings> = {}, audit: AuditRecord[] = []): GatewayService {
  const skills = new SkillLibrary(storeRecords(store, GATEWAY_RECORDS_ID), DEFAULT_SKILL_BOUNDS);
  return new GatewayService(catalog, {
    runtime: {
      engine, invoker, limits, maxTokens: 2_000, namespaces: [skillsNamespace(skills)],
      oversight: { policy: createPolicy({ ...noPolicy, ...policy }), audit: { write: (record) => audit.push(record) } },
    },
    inlineApiMaxTokens: 0, logger: silentLogger, sessionStore: store, skills,
  });
}

const lookup = {
  name: 'lookup_email',
  description: 'Looks up the email address of a contact by name.',
  code: 'const contact = await crm.find({ name: args.name });\nreturn contact.email;',
  inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
};
const save = (skill: object) => `return await skills.save(${JSON.stringify(skill)});`;

afterAll(() => engine.close());

describe('saved skills through the gateway', () => {
  it('saves in one session; another session finds it with search and runs it in its own run', async () => {
    const store = createMemorySessionStore();
    const service = gateway(store);
    const [a, b] = [service.openSession('http'), service.openSession('http')];
    const saved = await service.execute(save(lookup), undefined, a.context);
    expect(JSON.parse(saved.text)).toEqual({ name: 'lookup_email', call: 'skills.lookup_email', replaced: false, signature: 'skills.lookup_email(args: { name: string }): Promise<unknown>' });
    expect(await service.search({ query: 'email address of a contact', detail: 'summary' })).toMatch(/^skills\.lookup_email\(\{ name: string \}\) \/\/ Looks up the email address/);
    calls.length = 0;
    const ran = await service.execute('return await skills.lookup_email({ name: "ada" });', undefined, b.context);
    expect(ran).toMatchObject({ ok: true, text: 'ada@example.com' });
    expect(calls).toEqual(['find {"name":"ada"}']);
    // The run's records: the skill's gate and the call it made.
    expect(ran.calls.map((c) => `${c.call} ${c.fate}`)).toEqual(['skills.enter ok', 'crm.find ok']);
  });

  it('runs a skill saved by another process sharing the store', async () => {
    const store = createMemorySessionStore();
    await gateway(store).execute(save(lookup));
    const other = gateway(store);
    expect((await other.execute('return await skills.lookup_email({ name: "bo" });')).text).toBe('bo@example.com');
  });

  it('refuses a bad argument naming the field, before the skill\'s body runs', async () => {
    const service = gateway(createMemorySessionStore());
    await service.execute(save(lookup));
    calls.length = 0;
    const out = await service.execute('await skills.lookup_email({ name: 42 });');
    expect(out.ok).toBe(false);
    expect(out.text).toMatch(/^Uncaught ToolError \[ARGUMENT_INVALID\]: skills\.lookup_email: field "name" must be string; the skill takes args: \{ name: string \}\n {2}at line 1/);
    expect(calls).toEqual([]);
  });

  it('reports an error thrown in a skill with the skill\'s name and its own line', async () => {
    const service = gateway(createMemorySessionStore());
    await service.execute(save({ name: 'strict_lookup', description: 'Looks up a contact or fails.', code: 'const c = await crm.find({ name: args.name });\nif (!args.name.startsWith("a")) {\n  throw new Error("only names starting with a");\n}\nreturn c;' }));
    const out = await service.execute('const x = 1;\nreturn await skills.strict_lookup({ name: "zed" });');
    expect(out.text).toBe('Uncaught Error: only names starting with a\n  in skills.strict_lookup at its line 3, column 13: throw new Error("only names starting with a");');
  });

  it('counts the calls a skill makes toward the calling run\'s maxToolCalls', async () => {
    const service = gateway(createMemorySessionStore());
    await service.execute(save({ name: 'find_all', description: 'Finds several contacts.', code: 'const out = [];\nfor (const n of args.names) out.push(await crm.find({ name: n }));\nreturn out.length;' }));
    expect((await service.execute('return await skills.find_all({ names: ["a", "b", "c", "d"] });')).text).toBe('4');
    const over = await service.execute('return await skills.find_all({ names: ["a", "b", "c", "d", "e"] });');
    expect(over).toMatchObject({ ok: false, errorCode: 'LIMIT_TOOL_CALLS' });
  });

  it('applies the calling run\'s policy to the calls a skill makes', async () => {
    const store = createMemorySessionStore();
    await gateway(store).execute(save({ name: 'reset', description: 'Wipes the contacts.', code: 'return crm.wipe({});' }));
    calls.length = 0;
    const out = await gateway(store, { deny: ['crm.wipe'] }).execute('return await skills.reset({});');
    expect(out.text).toMatch(/^Uncaught ToolError \[POLICY_DENIED\]: crm\.wipe: denied by policy rule deny "crm\.wipe"\n {2}in skills\.reset at its line 1/);
    expect(calls).toEqual([]);
  });

  it('admits saving by policy: deny refuses, confirm asks the client, and the save is audited', async () => {
    const audit: AuditRecord[] = [];
    const denied = await gateway(createMemorySessionStore(), { deny: ['skills.save'] }, audit).execute(save(lookup));
    expect(denied.text).toMatch(/^Uncaught ToolError \[POLICY_DENIED\]: skills\.save: denied by policy rule deny "skills\.save"/);
    expect(audit[0]).toMatchObject({ ok: false, refused: { POLICY_DENIED: 1 }, operations: { 'skills.save': 1 } });

    const store = createMemorySessionStore();
    const service = gateway(store, { confirm: ['skills.save'] }, audit);
    const asked: string[] = [];
    const session = service.openSession('http');
    const context = (answer: boolean): ExecuteContext => ({ ...session.context, confirm: async (request) => { asked.push(`${request.callName} ${request.rule}`); return answer; } });
    expect((await service.execute(save(lookup), undefined, context(false))).text).toMatch(/POLICY_DENIED.*the user did not confirm/);
    expect((await service.execute(save(lookup), undefined, context(true))).ok).toBe(true);
    expect(audit.at(-1)?.calls).toEqual([expect.objectContaining({ server: 'skills', tool: 'save', fate: 'ok' })]);
    expect(asked).toEqual(['skills.save confirm "skills.save"', 'skills.save confirm "skills.save"']);
    expect(await service.search({ query: 'lookup email', detail: 'name' })).toMatch(/^skills\.lookup_email/);
  });

  it('deletes a skill: gone from search, list and later runs, with did-you-mean for the rest', async () => {
    const service = gateway(createMemorySessionStore());
    await service.execute(save(lookup));
    await service.execute(save({ ...lookup, name: 'lookup_mail' }));
    expect(JSON.parse((await service.execute('return (await skills.list()).map((s) => s.name);')).text)).toEqual(['lookup_email', 'lookup_mail']);
    expect((await service.execute('return await skills.delete("lookup_email");')).text).toBe('true');
    expect(await service.search({ query: 'email address of a contact', detail: 'name' })).not.toMatch(/skills\.lookup_email\b/);
    const gone = await service.execute('return await skills.lookup_email({ name: "a" });');
    expect(gone.text).toMatch(/skills\.lookup_email is not a function; did you mean skills\.lookup_mail\?/);
  });

  it('lets skills call one another, and stops runaway recursion at cemcp.skills.maxDepth', async () => {
    const service = gateway(createMemorySessionStore());
    await service.execute(save(lookup));
    await service.execute(save({ name: 'greet', description: 'Greets a contact by email.', code: 'return "hi " + await skills.lookup_email({ name: args.name });' }));
    await service.execute(save({ name: 'loop', description: 'Calls itself.', code: 'return skills.loop(args);' }));
    expect((await service.execute('return await skills.greet({ name: "cy" });')).text).toBe('hi cy@example.com');
    const runaway = await service.execute('return await skills.loop({});');
    expect(runaway.text).toMatch(/^Uncaught RangeError: skills\.loop: skills may call one another at most 8 deep\n {2}in skills\.loop at its line 1/);
  });

  it('gives the type-checker the skills\' typed signatures', async () => {
    const store = createMemorySessionStore();
    const skills = new SkillLibrary(storeRecords(store, GATEWAY_RECORDS_ID), DEFAULT_SKILL_BOUNDS);
    const ns = skillsNamespace(skills);
    await skills.save(lookup);
    expect(ns.declaration).toContain('lookup_email(args: { name: string }): Promise<unknown>;');
  });
});
