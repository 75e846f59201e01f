// The bench's pieces over real processes: the built fixture servers on stdio, and `cemcp serve
// --verbose` logging the per-run accounting the bench summarizes. One workflow both ways.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCemcpSession, openDirectSession, type CemcpSession, type StdioCommand } from '../../src/bench/sessions.js';
import { ScriptedAgent } from '../../src/bench/scripted-agent.js';
import { dealEscalationChain } from '../../src/bench/workflows.js';
import { CLI, ROOT, tempDir } from './harness.js';

const fixture = (which: string): StdioCommand => ({ command: process.execPath, args: [path.join(ROOT, 'dist/bench/fixtures/main.js'), which] });
const servers = { documents: fixture('documents'), crm: fixture('crm') };
const closers: (() => Promise<void>)[] = [];

afterAll(async () => {
  await Promise.allSettled(closers.map((close) => close()));
});

describe('bench over stdio', () => {
  it('serves both fixture servers as stdio MCP servers', async () => {
    const session = await openDirectSession(servers);
    closers.push(() => session.close());
    expect(session.definitions.length).toBe(21);
    const reply = await session.call('crm__get_contact', { contactId: 'ct-003' });
    expect(JSON.parse(reply.text)).toMatchObject({ email: 'priya.raman@contoso.example' });
  });

  it('runs the chain through cemcp serve and reads its per-run accounting', async () => {
    const dir = tempDir('cemcp-bench-');
    const config = path.join(dir, 'mcp.json');
    writeFileSync(config, JSON.stringify({ mcpServers: servers }));
    chmodSync(config, 0o600);
    const session: CemcpSession = await openCemcpSession(CLI, config);
    closers.push(() => session.close());
    expect(session.definitions.map((d) => d.name)).toEqual(['search', 'execute']);

    const agent = new ScriptedAgent(session, dealEscalationChain.task, ['documents', 'crm']);
    await dealEscalationChain.cemcp(agent, false);
    const run = agent.run();
    expect(run.totals).toMatchObject({ turns: 3, toolCalls: 3 });
    expect(run.answer).toContain('for Grace Adeyemi, manager of the deal owner Rosa Lindqvist');

    for (let i = 0; i < 50 && session.runs().length < 1; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(session.runs()).toEqual([expect.objectContaining({ status: 'ok', toolCalls: 7 })]);
    expect(session.runs()[0]!.tokensIn).toBeGreaterThan(100);
  });
});
