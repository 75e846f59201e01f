// Each step of the call pipeline alone, with a real `next` that records what reached it, then the
// composed pipeline in its documented order. End-to-end runs through the sandbox are in
// runtime/*.test.ts and test/e2e.
import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../audit/index.js';
import { Catalog, type Operation } from '../../catalog/index.js';
import type { CallOutcome, ToolInvoker } from '../../common/index.js';
import { BUILTIN_DETECTORS, createPrivacy } from '../../privacy/index.js';
import type { BridgeReply } from '../../sandbox/index.js';
import { RunFlags } from '../run-flags.js';
import { RunScope } from '../run-scope.js';
import { admitByPolicy, createAdmission, type ConfirmRequest } from './admit-by-policy.js';
import { buildCallPipeline } from './build.js';
import type { NextStep, PendingCall } from './call-step.js';
import { checkResultSize } from './check-result-size.js';
import { invokeUpstream } from './invoke-upstream.js';
import { observeCall } from './observe-call.js';
import { restorePii } from './restore-pii.js';
import { runSlots } from './run-slots.js';
import { validateArguments } from './validate-arguments.js';

const catalog = Catalog.fromSources([{
  server: 'crm',
  tools: [
    { name: 'find_contact', inputSchema: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] } },
    { name: 'delete_contact', inputSchema: { type: 'object' }, annotations: { destructiveHint: true } },
    { name: 'run_command', inputSchema: { type: 'object' } },
  ],
}]);

function pending(name: string, args: Record<string, unknown>, scope = new RunScope()): PendingCall {
  const operation: Operation = catalog.find('crm', name)!;
  return {
    target: { server: operation.server, tool: operation.toolName, callName: operation.callName, destructive: operation.annotations?.destructiveHint === true },
    operation,
    args,
    open: scope.begin(operation.callName, operation.server, operation.toolName, JSON.stringify(args).length),
  };
}

/** A last step that records each call it receives and answers `reply`. */
function recorder(reply: BridgeReply = { ok: true, json: '{"ok":true}' }) {
  const seen: PendingCall[] = [];
  const next: NextStep = async (call) => {
    seen.push(call);
    return reply;
  };
  return { seen, next };
}

describe('call pipeline steps, each alone', () => {
  it('observeCall flags destructive and shell-like tools once each, before anything decides', async () => {
    const flags = new RunFlags();
    const { next, seen } = recorder();
    const step = observeCall(flags);
    await step(pending('delete_contact', {}), next);
    await step(pending('delete_contact', {}), next);
    await step(pending('run_command', {}), next);
    expect(flags.list.map((f) => `${f.kind} ${f.call}`)).toEqual(['destructive crm.delete_contact', 'shell crm.run_command']);
    expect(seen).toHaveLength(3);
  });

  it('restorePii hands the upstream real values and shows it each successful result', async () => {
    const privacy = createPrivacy({ enabled: true, detectors: BUILTIN_DETECTORS, custom: [], servers: {}, maxEntries: 100 });
    const session = privacy.openSession()!;
    const first = session.beginRun();
    expect(first.tokenizeText('ada@example.com')).toBe('[EMAIL_1]');
    const run = session.beginRun();
    const { next, seen } = recorder({ ok: true, json: '{"email":"grace@example.org"}' });
    await restorePii(run)(pending('find_contact', { email: '[EMAIL_1]' }), next);
    expect(seen[0]!.args).toEqual({ email: 'ada@example.com' });
    // The result was observed in this run: its value is tokenized the same way from now on.
    expect(run.tokenizeText('grace@example.org')).toBe('[EMAIL_2]');
  });

  it('validateArguments refuses a call missing a required field and never calls next', async () => {
    const { next, seen } = recorder();
    const reply = await validateArguments()(pending('find_contact', {}), next);
    expect(reply).toMatchObject({ ok: false, error: { code: 'ARGUMENT_INVALID' } });
    expect(!reply.ok && reply.error.message).toMatch(/^crm\.find_contact: .*email/);
    expect(seen).toHaveLength(0);
    expect((await validateArguments()(pending('find_contact', { email: 'a@b.c' }), next)).ok).toBe(true);
  });

  it('admitByPolicy denies by rule with a flag, and asks once per operation per run when a rule says confirm', async () => {
    const flags = new RunFlags();
    const signal = new AbortController().signal;
    const deny = admitByPolicy(createAdmission({ policy: createPolicy({ allow: [], deny: ['crm.delete_*'], confirm: [], destructive: 'allow' }), flags, signal }));
    const { next, seen } = recorder();
    const denied = await deny(pending('delete_contact', {}), next);
    expect(denied).toMatchObject({ ok: false, error: { code: 'POLICY_DENIED' } });
    expect(flags.list.map((f) => f.kind)).toEqual(['policy']);

    const asked: ConfirmRequest[] = [];
    const confirm = async (request: ConfirmRequest) => (asked.push(request), true);
    const ask = admitByPolicy(createAdmission({ policy: createPolicy({ allow: [], deny: [], confirm: [], destructive: 'confirm' }), confirm, flags, signal }));
    await ask(pending('delete_contact', {}), next);
    await ask(pending('delete_contact', {}), next);
    expect(asked.map((r) => r.callName)).toEqual(['crm.delete_contact']);
    expect(seen).toHaveLength(2);
  });

  it('runSlots lets at most `size` calls past at once and the rest in order; none once the run ended', async () => {
    const controller = new AbortController();
    const step = runSlots(2, controller.signal);
    let inFlight = 0;
    let most = 0;
    const order: number[] = [];
    const release: (() => void)[] = [];
    const next: NextStep = async (call) => {
      inFlight++;
      most = Math.max(most, inFlight);
      order.push(call.args.n as number);
      await new Promise<void>((resolve) => release.push(resolve));
      inFlight--;
      return { ok: true, json: 'null' };
    };
    const calls = [0, 1, 2, 3].map((n) => step(pending('run_command', { n }), next));
    while (release.length < 2) await Promise.resolve();
    expect(order).toEqual([0, 1]);
    while (release.length) {
      release.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(calls.slice(0, 4));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(most).toBe(2);
    controller.abort();
    expect(await step(pending('run_command', { n: 9 }), next)).toMatchObject({ ok: false, error: { code: 'RUN_ENDED' } });
  });

  it('checkResultSize replaces a result over the limit with an error naming the key that raises it', async () => {
    const big = recorder({ ok: true, json: JSON.stringify('é'.repeat(600)) });
    const reply = await checkResultSize(1_000)(pending('find_contact', { email: 'x' }), big.next);
    expect(reply).toMatchObject({ ok: false, error: { code: 'LIMIT_RESULT_SIZE' } });
    expect(!reply.ok && reply.error.message).toContain('cemcp.limits.maxToolResultBytes');
    const small = recorder({ ok: true, json: JSON.stringify('é'.repeat(400)) });
    expect((await checkResultSize(1_000)(pending('find_contact', { email: 'x' }), small.next)).ok).toBe(true);
  });

  it('invokeUpstream sends through the run scope, turns outcomes into guest replies, and sends nothing once the run ended', async () => {
    const sent: string[] = [];
    const answers: Record<string, CallOutcome> = {
      find_contact: { ok: true, value: { name: 'Ada' } },
      delete_contact: { ok: false, error: { code: 'TOOL_ERROR', message: 'no such contact', data: { status: 404 } } },
    };
    const invoker: ToolInvoker = { callTool: async (_server, tool) => (sent.push(tool), answers[tool]!) };
    const scope = new RunScope();
    const invoke = invokeUpstream(invoker, 1_000, scope.signal);
    expect(await invoke(pending('find_contact', { email: 'a' }, scope))).toEqual({ ok: true, json: '{"name":"Ada"}' });
    expect(await invoke(pending('delete_contact', {}, scope))).toEqual({ ok: false, error: { code: 'TOOL_ERROR', message: 'crm.delete_contact: no such contact', data: { status: 404 } } });
    const late = pending('find_contact', { email: 'a' }, scope);
    await scope.close();
    expect(await invoke(late)).toMatchObject({ ok: false, error: { code: 'RUN_ENDED' } });
    expect(sent).toEqual(['find_contact', 'delete_contact']);
  });

  it('invokeUpstream answers a value nested past the host stack as an error, not a crash', async () => {
    let deep: unknown = null;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const invoker: ToolInvoker = { callTool: async () => ({ ok: true, value: deep }) };
    const scope = new RunScope();
    expect(await invokeUpstream(invoker, 1_000, scope.signal)(pending('find_contact', { email: 'a' }, scope))).toMatchObject({ ok: false, error: { code: 'UPSTREAM_PROTOCOL' } });
  });
});

describe('the composed pipeline', () => {
  it('runs the steps in order: a refused call never reaches the slot or the upstream; a valid one reaches it with PII restored', async () => {
    const privacy = createPrivacy({ enabled: true, detectors: BUILTIN_DETECTORS, custom: [], servers: {}, maxEntries: 100 });
    const session = privacy.openSession()!;
    session.beginRun().tokenizeText('ada@example.com');
    const reached: Record<string, unknown>[] = [];
    const invoker: ToolInvoker = { callTool: async (_s, _t, args) => (reached.push(args), { ok: true, value: { found: true } }) };
    const scope = new RunScope();
    const flags = new RunFlags();
    const pipeline = buildCallPipeline({
      invoker,
      limits: { toolCallTimeoutMs: 1_000, maxConcurrentCalls: 1, maxToolResultBytes: 10_000 },
      signal: scope.signal,
      flags,
      admission: createAdmission({ policy: createPolicy({ allow: [], deny: ['crm.delete_*'], confirm: [], destructive: 'allow' }), flags, signal: scope.signal }),
      pii: session.beginRun(),
    });
    // Validation runs after PII restore: a token stands for a real value that must satisfy the schema.
    expect(await pipeline(pending('find_contact', { email: '[EMAIL_1]' }, scope))).toEqual({ ok: true, json: '{"found":true}' });
    expect(reached).toEqual([{ email: 'ada@example.com' }]);
    expect(await pipeline(pending('find_contact', {}, scope))).toMatchObject({ ok: false, error: { code: 'ARGUMENT_INVALID' } });
    expect(await pipeline(pending('delete_contact', {}, scope))).toMatchObject({ ok: false, error: { code: 'POLICY_DENIED' } });
    expect(reached).toHaveLength(1);
    // Flags are raised for what was attempted, refused or not.
    expect(flags.list.map((f) => f.kind).sort()).toEqual(['destructive', 'policy']);
  });
});
