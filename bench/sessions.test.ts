// The bench's sessions over real processes: the fixture servers on stdio, and `cemcp serve` (the
// built CLI) recording each run in its audit folder, which the bench reads. One workflow both ways.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCommand } from './fixtures/entry.js';
import { CLI_PATH } from './paths.js';
import { ScriptedAgent } from './scripted-agent.js';
import { openCemcpSession, openDirectSession, type CemcpSession, type StdioCommand } from './sessions.js';
import { dealEscalationChain } from './workflows.js';

const closers: (() => Promise<void>)[] = [];
let servers: Record<'documents' | 'crm', StdioCommand>;
let dir: string;

beforeAll(async () => {
  servers = { documents: await fixtureCommand('documents'), crm: await fixtureCommand('crm') };
  dir = mkdtempSync(path.join(os.tmpdir(), 'cemcp-bench-'));
});

afterAll(async () => {
  await Promise.allSettled(closers.map((close) => close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('bench sessions over stdio', () => {
  it('serves both fixture servers as stdio MCP servers', async () => {
    const session = await openDirectSession(servers);
    closers.push(() => session.close());
    expect(session.definitions.length).toBe(21);
    const reply = await session.call('crm__get_contact', { contactId: 'ct-003' });
    expect(JSON.parse(reply.text)).toMatchObject({ email: 'priya.raman@contoso.example' });
  });

  it('runs the chain through cemcp serve and reads its runs from the audit records', async () => {
    const file = path.join(dir, 'mcp.json');
    const auditDir = path.join(dir, 'audit');
    writeFileSync(file, JSON.stringify({ mcpServers: servers, cemcp: { audit: { dir: auditDir } } }));
    chmodSync(file, 0o600);
    const session: CemcpSession = await openCemcpSession(CLI_PATH, { file, auditDir });
    closers.push(() => session.close());
    expect(session.definitions.map((d) => d.name)).toEqual(['search', 'execute']);
    expect(session.runs()).toEqual([]);

    const agent = new ScriptedAgent(session, dealEscalationChain.task, ['documents', 'crm']);
    await dealEscalationChain.cemcp(agent, false);
    const run = agent.run();
    expect(run.totals).toMatchObject({ turns: 3, toolCalls: 3 });
    expect(run.answer).toContain('for Grace Adeyemi, manager of the deal owner Rosa Lindqvist');

    // Written before execute answered: no waiting, and exactly the one run the agent made.
    const runs = session.runs();
    expect(runs).toEqual([expect.objectContaining({ status: 'ok', toolCalls: 7 })]);
    expect(runs[0]!.tokensIn).toBeGreaterThan(100);
    expect(runs[0]!.wallMs).toBeGreaterThan(0);

    await session.call('execute', { code: 'return nope(' });
    expect(session.runs().map((r) => r.status)).toEqual(['ok', 'SYNTAX_ERROR']);
  });
});
