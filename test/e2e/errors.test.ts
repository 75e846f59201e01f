// Errors a model can act on, over the whole path: the official SDK client calls `execute` on
// `cemcp serve` (stdio) with the SDK fixture server behind it, and reads the outcome from
// `structuredContent` (no outputSchema is declared, and the client takes it as is).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SERVER, startStdioGateway, tempDir, textOf, type RunningGateway } from './harness.js';

interface Outcome {
  ok: boolean;
  errorCode?: string;
  tokensOut: number;
  cut: boolean;
  toolCalls: number;
}

describe('errors a model can act on', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    const dir = tempDir();
    const config = path.join(dir, 'mcp.json');
    writeFileSync(config, JSON.stringify({
      mcpServers: { fixture: { command: process.execPath, args: [FIXTURE_SERVER] } },
      cemcp: { limits: { cpuMs: 300, wallMs: 20_000, toolCallTimeoutMs: 5_000 } },
    }));
    gateway = await startStdioGateway(config);
  });

  afterAll(async () => {
    await gateway?.close();
  });

  async function run(code: string): Promise<{ text: string; isError: boolean; outcome: Outcome }> {
    const result = (await gateway.client.callTool({ name: 'execute', arguments: { code } })) as CallToolResult;
    return { text: textOf(result), isError: result.isError === true, outcome: result.structuredContent as unknown as Outcome };
  }

  it('declares no outputSchema, and a successful run carries its outcome as data', async () => {
    const { tools } = await gateway.client.listTools();
    expect(tools.find((t) => t.name === 'execute')?.outputSchema).toBeUndefined();
    const { text, isError, outcome } = await run('return (await fixture.echo({ value: 7 })).value;');
    expect({ text, isError }).toEqual({ text: '7', isError: false });
    expect(outcome).toMatchObject({ ok: true, cut: false, toolCalls: 1 });
    expect(outcome.errorCode).toBeUndefined();
    expect(outcome.tokensOut).toBeGreaterThan(0);
  });

  // These programs call what does not exist on purpose: `// @ts-nocheck` lets them past the
  // type-check (test/e2e/typecheck.test.ts) to the runtime's own message.
  it('names a misspelled tool and the one meant', async () => {
    const { text, isError, outcome } = await run('const r = await fixture.ehco({ value: 1 });\nreturn r; // @ts-nocheck');
    expect(isError).toBe(true);
    expect(outcome).toMatchObject({ ok: false, errorCode: 'OPERATION_UNKNOWN', toolCalls: 0 });
    expect(text).toBe('Uncaught TypeError: fixture.ehco is not a function; did you mean fixture.echo?\n  at line 1, column 25: const r = await fixture.ehco({ value: 1 });');
  });

  it('says how to search when no tool is close', async () => {
    const { text, outcome } = await run('return await fixture.rotate_credentials({}); // @ts-nocheck');
    expect(outcome.errorCode).toBe('OPERATION_UNKNOWN');
    expect(text).toContain('fixture has no operation of that name. Find it with the search tool: search({ query: "rotate credentials" })');
  });

  it('names an unknown namespace and the one meant', async () => {
    const { text, outcome } = await run('return await fixtrue.ping({});');
    expect(outcome).toMatchObject({ ok: false, errorCode: 'OPERATION_UNKNOWN' });
    expect(text).toMatch(/^Uncaught ReferenceError: fixtrue is not defined; did you mean fixture\.ping\?/);
  });

  it('makes a tool whose handler throws a TOOL_ERROR, catchable by the program', async () => {
    const uncaught = await run('return await fixture.throws({});');
    expect(uncaught.outcome).toMatchObject({ ok: false, errorCode: 'TOOL_ERROR', toolCalls: 1 });
    expect(uncaught.text).toMatch(/^Uncaught ToolError \[TOOL_ERROR\]: fixture\.throws: the fixture handler threw on purpose\n  at line 1/);
    const caught = await run('try { await fixture.throws({}); } catch (e) { return e.code; }');
    expect(caught.text).toBe('TOOL_ERROR');
    // A tool that reports isError stays a TOOL_ERROR too.
    expect((await run('return await fixture.fail({});')).outcome.errorCode).toBe('TOOL_ERROR');
  });

  it('names the config key of a CPU limit', async () => {
    const { text, outcome } = await run('let n = 0; for (;;) { n++; }');
    expect(outcome).toMatchObject({ ok: false, errorCode: 'SANDBOX_CPU' });
    expect(text).toMatch(/^Error \[SANDBOX_CPU\]: CPU time limit exceeded: the program computed for more than 300 ms.*raise cemcp\.limits\.cpuMs\.$/);
  });
});
