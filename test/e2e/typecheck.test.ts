// Type-check before run over the whole path: the official SDK client calls `execute` on
// `cemcp serve` (stdio) with the npm reference servers behind it. With default settings (block) a
// wrong program whose first line makes a valid call is stopped before that call (server-memory's
// graph unchanged) with the line and the right name; in warn mode it runs and the warning follows.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStdioGateway, tempDir, textOf, writeConfig, type RunningGateway } from './harness.js';

// Line 1 writes to the graph; line 3 reads a field the declared result (ReadGraphResult) lacks.
const WRONG = [
  "await memory.create_entities({ entities: [{ name: 'tc-probe', entityType: 'test', observations: ['made by line 1'] }] });",
  'const graph = await memory.read_graph({});',
  'return graph.entites.map((e) => e.name);',
].join('\n');
const NAMES = 'return (await memory.read_graph({})).entities.map((e) => e.name);';

async function run(gateway: RunningGateway, code: string): Promise<{ text: string; isError: boolean; outcome: { errorCode?: string; toolCalls: number } }> {
  const result = (await gateway.client.callTool({ name: 'execute', arguments: { code } })) as CallToolResult;
  return { text: textOf(result), isError: result.isError === true, outcome: result.structuredContent as { errorCode?: string; toolCalls: number } };
}

describe('type-check before run (default settings: block)', () => {
  let gateway: RunningGateway;
  let memoryFile: string;

  beforeAll(async () => {
    const dir = tempDir();
    memoryFile = path.join(dir, 'memory.jsonl');
    gateway = await startStdioGateway(writeConfig(dir));
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('stops a wrong program before its first (valid) call, naming the line and the right name', async () => {
    const { text, isError, outcome } = await run(gateway, WRONG);
    expect(isError).toBe(true);
    expect(outcome).toMatchObject({ errorCode: 'TYPE_ERROR', toolCalls: 0 });
    expect(text).toContain("line 3, column 14: Property 'entites' does not exist on type 'ReadGraphResult'. Did you mean 'entities'?");
    expect(text).toContain('no call was made');
    // server-memory never saw line 1: no entity, and no memory file written.
    const names = await run(gateway, NAMES);
    expect(names.isError).toBe(false);
    expect(JSON.parse(names.text)).not.toContain('tc-probe');
    expect(existsSync(memoryFile) ? readFileSync(memoryFile, 'utf8') : '').not.toContain('tc-probe');
  });

  it('stops a misspelled argument name and a wrong enum value, and runs the fixed program', async () => {
    const badArg = await run(gateway, "await memory.read_graph({});\nreturn await memory.search_nodes({ qurey: 'probe' });");
    expect(badArg.text).toContain("line 2, column 36: Object literal may only specify known properties, but 'qurey' does not exist");
    expect(badArg.text).toContain("Did you mean to write 'query'?");
    const badEnum = await run(gateway, "await memory.read_graph({});\nreturn await everything.get_structured_content({ location: 'Boston' });");
    expect(badEnum.outcome.errorCode).toBe('TYPE_ERROR');
    expect(badEnum.text).toMatch(/line 2, column \d+: Type '"Boston"' is not assignable to type '"New York" \| "Chicago" \| "Los Angeles"'/);
    const fixed = await run(gateway, "const w = await everything.get_structured_content({ location: 'Chicago' });\nreturn w.temperature > -100;");
    expect(fixed).toMatchObject({ text: 'true', isError: false });
  });
});

describe('type-check before run (warn)', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    const dir = tempDir();
    gateway = await startStdioGateway(writeConfig(dir, {}, { typecheck: { mode: 'warn' } }));
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('runs the wrong program (its first call reaches server-memory) and reports the warning with its answer', async () => {
    const { text, isError, outcome } = await run(gateway, WRONG);
    // The run itself fails at line 3 (undefined.map), after line 1's call.
    expect(isError).toBe(true);
    expect(outcome.toolCalls).toBe(2);
    expect(outcome.errorCode).not.toBe('TYPE_ERROR');
    expect(text).toContain("Type warnings (the program ran anyway): 1 problem against the API's declared types.\nline 3, column 14: Property 'entites' does not exist");
    const names = await run(gateway, NAMES);
    expect(JSON.parse(names.text)).toContain('tc-probe');
  });
});
