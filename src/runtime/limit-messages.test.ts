import { afterAll, describe, expect, it } from 'vitest';
import { LimitsSchema, SurfaceSchema } from '../config/schema.js';
import { createQuickJsEngine, type Limits, type RunOutcome } from '../sandbox/index.js';
import { failureAdvice, guestErrorLimit, LIMITS, limitAdvice, toolCallLimitMessage, toolResultLimitMessage } from './limit-messages.js';
import { surface } from './surface.js';

describe('the limit table', () => {
  it('names config keys that exist', () => {
    const known = new Set([
      ...Object.keys(LimitsSchema.shape).map((key) => `cemcp.limits.${key}`),
      ...Object.keys(SurfaceSchema.shape).map((key) => `cemcp.surface.${key}`),
    ]);
    for (const entry of Object.values(LIMITS)) expect(known, entry.configKey).toContain(entry.configKey);
  });

  it('has an entry for every limit the engine can report', () => {
    const engineLimits: Record<keyof Limits, true> = { cpuMs: true, wallMs: true, memoryBytes: true, stackBytes: true, maxLogBytes: true, maxResultBytes: true };
    for (const key of Object.keys(engineLimits)) expect(LIMITS).toHaveProperty(key);
  });

  it('words the bridge refusals with their keys', () => {
    expect(toolCallLimitMessage(5)).toBe('tool call limit reached: at most 5 calls per run; make fewer calls in one run (split the work across runs), or raise cemcp.limits.maxToolCalls');
    expect(toolResultLimitMessage('crm.export', 100)).toMatch(/^crm\.export: the result is over the limit of 100 bytes; .*raise cemcp\.limits\.maxToolResultBytes$/);
    expect(limitAdvice('cpuMs')).toBe('compute less in one run, or raise cemcp.limits.cpuMs');
  });

  it('names the surface budget and the log limit in their cut markers', () => {
    const cut = surface({ logs: [{ level: 'log', text: 'x '.repeat(3_000) }], logsTruncated: true, valueJson: JSON.stringify('y '.repeat(3_000)) }, 200);
    expect(cut.cut).toBe(true);
    expect(cut.text).toContain('raise cemcp.surface.maxTokens');
    const dropped = surface({ logs: [{ level: 'log', text: 'first lines' }], logsTruncated: true }, 1_000);
    expect(dropped.text).toBe('first lines\n…[cut by cemcp: console output over the log limit was dropped; log less, or raise cemcp.limits.maxLogBytes]');
  });
});

describe('limits reported by the real engine', () => {
  const engine = createQuickJsEngine({ poolSize: 1, maxArgumentBytes: 1_000 });
  afterAll(() => engine.close());
  const limits: Limits = { cpuMs: 200, wallMs: 5_000, memoryBytes: 16 << 20, stackBytes: 128 << 10, maxLogBytes: 1_000, maxResultBytes: 1_000 };
  const bridge = { call: async () => ({ ok: true as const, json: '{}' }) };
  const failureOf = async (code: string, over: Partial<Limits> = {}) => {
    const out: RunOutcome = await engine.run({ code, filename: 'program.js', api: { crm: ['find'] }, limits: { ...limits, ...over } }, bridge);
    if (out.ok) throw new Error('the run did not fail');
    return out.error;
  };

  it('says which limit ended the run, and the advice names its key', async () => {
    const cpu = await failureOf('(async () => { for (;;) {} })');
    expect(cpu).toMatchObject({ code: 'SANDBOX_CPU', limit: 'cpuMs' });
    expect(failureAdvice(cpu)).toBe('compute less in one run, or raise cemcp.limits.cpuMs');
    const output = await failureOf('(async () => "x".repeat(5000))');
    expect(output).toMatchObject({ code: 'LIMIT_OUTPUT', limit: 'maxResultBytes' });
    expect(failureAdvice(output)).toContain('cemcp.limits.maxResultBytes');
    const stack = await failureOf('(async () => { const f = (n) => f(n + 1) + 1; return f(0); })', { cpuMs: 5_000 });
    expect(failureAdvice(stack)).toContain('cemcp.limits.stackBytes');
  });

  it('gives no advice for a deadlock, which no limit would fix', async () => {
    const deadlock = await failureOf('(async () => { await new Promise(() => {}); })');
    expect(deadlock.code).toBe('SANDBOX_TIMEOUT');
    expect(failureAdvice(deadlock)).toBeUndefined();
  });

  it('recognizes the guest refusing arguments over maxArgumentBytes', async () => {
    const refused = await failureOf('(async () => crm.find({ s: "x".repeat(2000) }))');
    expect(guestErrorLimit(refused.name, refused.message)).toEqual({ code: 'LIMIT_ARGUMENT_SIZE', advice: 'send less in one call, or raise cemcp.limits.maxArgumentBytes' });
    expect(guestErrorLimit('RangeError', 'invalid array length')).toBeUndefined();
  });
});
