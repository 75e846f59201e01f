import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createCrmServer } from './fixtures/crm-server.js';
import { createDocumentsServer } from './fixtures/documents-server.js';
import { BenchScriptError, ScriptedAgent } from './scripted-agent.js';
import { resultText, toModelDefinition, type ToolSession } from './sessions.js';
import { WORKFLOWS } from './workflows.js';

const clients: Client[] = [];

/** The direct session of the bench, on real fixture servers over in-memory transports. */
async function directSession(servers: Record<string, Server>): Promise<ToolSession> {
  const byName = new Map<string, Client>();
  const definitions = [];
  for (const [name, server] of Object.entries(servers)) {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'workflow-test', version: '1.0.0' });
    await client.connect(clientSide);
    clients.push(client);
    byName.set(name, client);
    for (const tool of (await client.listTools()).tools) definitions.push(toModelDefinition(tool, `${name}__${tool.name}`));
  }
  return {
    kind: 'direct',
    definitions,
    async call(name, args) {
      const [server, tool] = name.split('__') as [string, string];
      const result = (await byName.get(server)!.callTool({ name: tool, arguments: { ...args } })) as CallToolResult;
      return { text: resultText(result), isError: result.isError === true };
    },
    close: async () => undefined,
  };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe('workflows, direct', () => {
  const expected: Record<string, { turns: number; toolCalls: number; answer: RegExp }> = {
    'meeting-notes-to-crm': { turns: 6, toolCalls: 20, answer: /updated 4 contacts \(Maya Okafor, Leo Brandt, Priya Raman, Tomas Alvarez\), created 2 \(Hannah Fischer, Kenji Sato\), and logged 6/ },
    'deal-escalation-chain': { turns: 7, toolCalls: 7, answer: /Moved "Contoso - platform renewal 2026" \(EUR 410000\) to negotiation .* for Grace Adeyemi, manager of the deal owner Rosa Lindqvist/ },
    'single-lookup': { turns: 2, toolCalls: 1, answer: /^Priya Raman is Head of Procurement\.$/ },
    'single-lookup-one-server': { turns: 2, toolCalls: 1, answer: /^Priya Raman is Head of Procurement\.$/ },
  };

  for (const workflow of WORKFLOWS) {
    it(`${workflow.id}: runs against the fixture servers and counts every turn`, async () => {
      const servers = { documents: createDocumentsServer(), crm: createCrmServer() };
      const session = await directSession(Object.fromEntries(workflow.servers.map((s) => [s, servers[s]])));
      const agent = new ScriptedAgent(session, workflow.task);
      await workflow.direct(agent);
      const run = agent.run();
      expect(run.totals).toMatchObject({ turns: expected[workflow.id]!.turns, toolCalls: expected[workflow.id]!.toolCalls });
      expect(run.answer).toMatch(expected[workflow.id]!.answer);
      // Each turn re-sends the definitions and everything before it, so inputs only grow.
      const inputs = run.turns.map((t) => t.inputTokens);
      expect(inputs).toEqual([...inputs].sort((a, b) => a - b));
    });
  }

  it('the meeting transcript makes the direct conversation large', async () => {
    const session = await directSession({ documents: createDocumentsServer(), crm: createCrmServer() });
    const agent = new ScriptedAgent(session, WORKFLOWS[0]!.task);
    await WORKFLOWS[0]!.direct(agent);
    expect(agent.run().totals.peakContextTokens).toBeGreaterThan(50_000);
    expect(agent.run().turns[1]!.resultTokens).toBeGreaterThan(45_000);
  });
});

describe('ScriptedAgent', () => {
  const fakeCemcp = (shown: string): ToolSession => ({
    kind: 'cemcp',
    definitions: [{ name: 'execute', description: shown, input_schema: {} }],
    call: async () => ({ text: '"ok"', isError: false }),
    close: async () => undefined,
  });

  it('refuses a program that calls an operation the model was never shown', async () => {
    const agent = new ScriptedAgent(fakeCemcp('search finds things'), 'task', ['crm']);
    await expect(agent.act([{ name: 'execute', arguments: { code: 'return await crm.get_deal({ dealId: "x" })' } }])).rejects.toThrow(BenchScriptError);
  });

  it('accepts operations shown in a search hit or an inlined declare namespace', async () => {
    const hit = new ScriptedAgent(fakeCemcp('crm.get_deal(args: { dealId: string }): Promise<Deal>'), 'task', ['crm']);
    await hit.act([{ name: 'execute', arguments: { code: 'return await crm.get_deal({ dealId: "x" })' } }]);
    const inline = new ScriptedAgent(fakeCemcp('declare namespace crm {\n  function get_deal(args: { dealId: string }): Promise<unknown>;\n}'), 'task', ['crm']);
    await inline.act([{ name: 'execute', arguments: { code: 'return await crm.get_deal({ dealId: "x" })' } }]);
    expect(inline.run().totals.toolCalls).toBe(1);
  });

  it('fails loudly when a scripted call returns a tool error', async () => {
    const failing: ToolSession = { ...fakeCemcp(''), call: async () => ({ text: 'boom', isError: true }) };
    await expect(new ScriptedAgent(failing, 'task').act([{ name: 'search', arguments: { query: 'x' } }])).rejects.toThrow(/search failed: boom/);
  });
});
