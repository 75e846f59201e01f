import { describe, expect, it } from 'vitest';
import { cpuFailure, wallFailure } from '../sandbox/guest-failure.js';
import type { RunFailure } from '../sandbox/index.js';
import { describeRunFailure } from './failure-text.js';
import { toolCallLimitMessage } from './limit-messages.js';
import { transpileProgram } from './transpile.js';

const limits = { cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 1_000, maxResultBytes: 1_000 };
const context = { api: { crm: ['find_contact'] }, hasFetch: false };

async function describeFor(source: string, failure: RunFailure, hasFetch = false) {
  return describeRunFailure(failure, await transpileProgram(source), { ...context, hasFetch });
}

describe('describeRunFailure', () => {
  it('names the config key of the limit that stopped the run', async () => {
    expect(await describeFor('for (;;) {}', cpuFailure(limits))).toEqual({
      code: 'SANDBOX_CPU',
      text: 'Error [SANDBOX_CPU]: CPU time limit exceeded: the program computed for more than 1000 ms; the run was stopped. Compute less in one run, or raise cemcp.limits.cpuMs.',
    });
    expect((await describeFor('await x', wallFailure(limits))).text).toMatch(/; the run was stopped\. Make fewer or faster calls .*, or raise cemcp\.limits\.wallMs\.$/);
  });

  it('gives no advice where no limit was hit, and none twice', async () => {
    const deadlock = await describeFor('await new Promise(() => {})', { code: 'SANDBOX_TIMEOUT', message: 'the program awaits a promise that nothing can settle' });
    expect(deadlock.text).toBe('Error [SANDBOX_TIMEOUT]: the program awaits a promise that nothing can settle; the run was stopped.');
    const calls = await describeFor('await crm.find_contact({})', { code: 'LIMIT_TOOL_CALLS', message: toolCallLimitMessage(3) });
    expect(calls.text.match(/cemcp\.limits\.maxToolCalls/g)).toHaveLength(1);
  });

  it('codes an uncaught ToolError by its own code, when it is code-shaped', async () => {
    const thrown = { code: 'GUEST_THREW', name: 'ToolError', message: 'upstream "crm" tool "find" failed: boom' };
    expect((await describeFor('await crm.find_contact({})', { ...thrown, toolCode: 'TOOL_ERROR' })).code).toBe('TOOL_ERROR');
    expect((await describeFor('throw new ToolError("x", "not a code")', { ...thrown, toolCode: 'not a code' })).code).toBe('GUEST_THREW');
  });

  it('rewords an unknown operation with the one meant and the user position', async () => {
    // Plain JavaScript runs as written: QuickJS reports the call's `(` on the user's line 2.
    const failure = { code: 'GUEST_THREW', name: 'TypeError', message: 'not a function', position: { line: 2, column: 30 } };
    expect(await describeFor('const n = 1;\nreturn await crm.find_contcat({ n });', failure)).toEqual({
      code: 'OPERATION_UNKNOWN',
      text: 'Uncaught TypeError: crm.find_contcat is not a function; did you mean crm.find_contact?\n  at line 2, column 18: return await crm.find_contcat({ n });',
    });
  });

  it('names the argument limit when the guest refused a call for its size', async () => {
    const failure = { code: 'GUEST_THREW', name: 'RangeError', message: 'crm.find_contact: arguments are too large (over 1000 bytes of JSON)' };
    const described = await describeFor('await crm.find_contact({ s: "x".repeat(5000) })', failure);
    expect(described.code).toBe('LIMIT_ARGUMENT_SIZE');
    expect(described.text).toContain('or raise cemcp.limits.maxArgumentBytes');
  });

  it('says how to get fetch when the sandbox has none', async () => {
    const failure = { code: 'GUEST_THREW', name: 'ReferenceError', message: "'fetch' is not defined" };
    expect((await describeFor('await fetch("https://x")', failure)).text).toContain('the sandbox has fetch only when cemcp.fetch.allow lists the origins');
    expect((await describeFor('await fetch("https://x")', failure, true)).text).not.toContain('cemcp.fetch.allow');
  });
});
