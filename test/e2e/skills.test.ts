// Saved skills end to end over MCP with the official SDK client: one HTTP gateway over the real
// npm servers, two client sessions. Session A saves skills that call real tools (the save confirmed
// through elicitation, as the policy asks); session B finds them with search and runs them inside
// its own runs: arguments checked by the skill's schema, errors placed at the skill's line, B's
// call limit counting the skill's calls. A gateway whose policy denies skills.save refuses it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, search, serverEntry, spawnHttpGateway, startStdioGateway, tempDir, writeConfig, type RunningGateway } from './harness.js';

const PEOPLE_COUNT = {
  name: 'count_entities',
  description: 'Counts the entities of one type in the knowledge graph memory.',
  code: [
    'const graph = await memory.read_graph({});',
    'return graph.entities.filter((e) => e.entityType === args.entityType).length;',
  ].join('\n'),
  inputSchema: { type: 'object', properties: { entityType: { type: 'string' } }, required: ['entityType'] },
};
const SUM_ALL = {
  name: 'sum_pairs',
  description: 'Adds up each pair of numbers with the sum tool.',
  code: 'async ({ pairs }: { pairs: number[][] }) => {\n  const out: unknown[] = [];\n  for (const [a, b] of pairs) out.push(await everything.get_sum({ a, b }));\n  return out.length;\n}',
};
const BROKEN = {
  name: 'check_graph',
  description: 'Reads the graph and insists it is empty.',
  code: 'const graph = await memory.read_graph({});\nif (graph.entities.length > 0) throw new Error("the graph is not empty");\nreturn true;',
};
const save = (skill: object) => `return await skills.save(${JSON.stringify(skill)});`;

describe('saved skills over MCP', () => {
  let child: ChildProcess;
  let a: Client;
  let b: Client;
  const asked: string[] = [];

  beforeAll(async () => {
    const dir = tempDir('cemcp-skills-');
    const config = writeConfig(dir, {}, { policy: { confirm: ['skills.save'] }, limits: { maxToolCalls: 4 } });
    const gateway = await spawnHttpGateway(config);
    child = gateway.child;
    // A can be asked (MCP elicitation) and confirms saves; B cannot be asked.
    a = new Client({ name: 'skills-a', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
    a.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { allow: true } };
    });
    b = new Client({ name: 'skills-b', version: '1.0.0' });
    await Promise.all([a.connect(new StreamableHTTPClientTransport(new URL(gateway.url))), b.connect(new StreamableHTTPClientTransport(new URL(gateway.url)))]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.close().catch(() => undefined), b?.close().catch(() => undefined)]);
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child?.kill('SIGTERM');
    await exited;
  });

  it('saves a skill in session A, confirmed by the user as the policy asks', async () => {
    const saved = await execute(a, save(PEOPLE_COUNT));
    expect(saved.isError).toBe(false);
    expect(JSON.parse(saved.text)).toMatchObject({ call: 'skills.count_entities', signature: 'skills.count_entities(args: { entityType: string }): Promise<unknown>' });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('skills.save');
  });

  it('refuses a save from session B, which cannot be asked to confirm', async () => {
    const refused = await execute(b, save({ ...PEOPLE_COUNT, name: 'other_name' }));
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/^Uncaught ToolError \[POLICY_DENIED\]: skills\.save: policy rule confirm "skills\.save" needs the user's confirmation/);
  });

  it('lets session B find the skill with search and run it against the real memory server', async () => {
    const found = await search(b, { query: 'count entities of a type in the knowledge graph' });
    expect(found.text).toMatch(/^\/\*\* Counts the entities of one type in the knowledge graph memory\. \*\/\nskills\.count_entities\(args: \{ entityType: string \}\): Promise<unknown>/);
    await execute(b, `await memory.create_entities({ entities: [
      { name: 'Ada', entityType: 'person', observations: [] },
      { name: 'Bo', entityType: 'person', observations: [] },
      { name: 'Acme', entityType: 'company', observations: [] },
    ] });`);
    const counted = await execute(b, 'return [await skills.count_entities({ entityType: "person" }), await skills.count_entities({ entityType: "company" })];');
    expect(counted).toEqual({ text: '[2,1]', isError: false });
  });

  it('refuses a bad argument naming the field, before the skill runs', async () => {
    // `// @ts-nocheck`: the host's own check of a skill's arguments, past the type-check (test/e2e/typecheck.test.ts).
    const bad = await execute(b, 'return await skills.count_entities({ type: "person" }); // @ts-nocheck');
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/^Uncaught ToolError \[ARGUMENT_INVALID\]: skills\.count_entities: missing required field "entityType"/);
  });

  it('counts a skill\'s tool calls toward the calling run\'s maxToolCalls', async () => {
    expect((await execute(a, save(SUM_ALL))).isError).toBe(false);
    expect(await execute(b, 'return await skills.sum_pairs({ pairs: [[1, 2], [3, 4], [5, 6], [7, 8]] });')).toEqual({ text: '4', isError: false });
    const over = await execute(b, 'return await skills.sum_pairs({ pairs: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]] });');
    expect(over.isError).toBe(true);
    expect(over.text).toMatch(/^Error \[LIMIT_TOOL_CALLS\]: tool call limit reached: at most 4 calls per run/);
  });

  it('reports an error thrown inside a skill with the skill\'s name and its line', async () => {
    expect((await execute(a, save(BROKEN))).isError).toBe(false);
    const failed = await execute(b, 'return await skills.check_graph({});');
    expect(failed.isError).toBe(true);
    expect(failed.text).toContain('Uncaught Error: the graph is not empty\n  in skills.check_graph at its line 2');
  });

  it('lists the skills, and deleting one removes it from search', async () => {
    const listed = await execute(b, 'return (await skills.list()).map((s) => s.name);');
    expect(JSON.parse(listed.text)).toEqual(['check_graph', 'count_entities', 'sum_pairs']);
    expect((await execute(a, 'return await skills.delete("count_entities");')).text).toBe('true');
    const found = await search(b, { query: 'count entities of a type in the knowledge graph', detail: 'name' });
    expect(found.text).not.toContain('skills.count_entities');
    const gone = await execute(b, 'return await skills.count_entities({ entityType: "person" }); // @ts-nocheck');
    expect(gone.text).toMatch(/skills\.count_entities is not a function/);
  });
});

describe('a policy that denies saving skills', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    const dir = tempDir('cemcp-skills-deny-');
    const file = path.join(dir, 'mcp.json');
    writeFileSync(file, JSON.stringify({
      mcpServers: { memory: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-memory')], env: { MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl') } } },
      cemcp: { policy: { deny: ['skills.save'] } },
    }));
    gateway = await startStdioGateway(file);
  }, 60_000);

  afterAll(() => gateway?.close());

  it('refuses skills.save naming the rule, and keeps nothing', async () => {
    const denied = await execute(gateway.client, save(PEOPLE_COUNT));
    expect(denied.isError).toBe(true);
    expect(denied.text).toMatch(/^Uncaught ToolError \[POLICY_DENIED\]: skills\.save: denied by policy rule deny "skills\.save"/);
    expect((await execute(gateway.client, 'return (await skills.list()).length;')).text).toBe('0');
  });
});

