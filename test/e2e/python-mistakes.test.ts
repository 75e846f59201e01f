// Python programs with the mistakes agents make, end to end (the built `cemcp serve` over stdio, the
// official SDK client, the real server-memory): each answered with what is wrong, where, and the fix.
// A call without await never runs in Python (unlike JavaScript): the run fails instead of passing.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStdioGateway, tempDir, textOf, writeConfig, type RunningGateway } from './harness.js';

interface Outcome {
  readonly text: string;
  readonly isError: boolean;
  readonly errorCode: unknown;
}

async function executePython(gateway: RunningGateway, code: string): Promise<Outcome> {
  const result = (await gateway.client.callTool({ name: 'execute', arguments: { code, language: 'python' } }, undefined, { timeout: 180_000 })) as CallToolResult;
  return { text: textOf(result), isError: result.isError === true, errorCode: result.structuredContent?.['errorCode'] };
}

describe('Python mistakes over MCP (stdio, real server-memory)', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startStdioGateway(writeConfig(tempDir(), {}, { python: { poolSize: 1 } }));
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
  });

  it('fails a call made without await, at its line, and the call never reached the upstream', async () => {
    const forgot = await executePython(gateway, 'name = "Forgotten"\nmemory.create_entities({"entities": [{"name": name, "entityType": "t", "observations": []}]})\nreturn "done"');
    expect(forgot.isError).toBe(true);
    expect(forgot.text).toContain('memory.create_entities(...) was called without await, so it never ran: put await before it');
    expect(forgot.text).toContain('at line 2, column 1: memory.create_entities(');
    expect(forgot.text).not.toContain('never awaited'); // Python's own warning is not left in the console
    const graph = await executePython(gateway, 'return [e["name"] for e in (await memory.read_graph({}))["entities"]]');
    expect(graph.text).not.toContain('Forgotten');
  }, 240_000);

  it('fails a call returned without await the same way, and one passed as an argument', async () => {
    const returned = await executePython(gateway, 'return memory.read_graph({})');
    expect(returned.text).toContain('memory.read_graph(...) was called without await');
    const argument = await executePython(gateway, 'return await memory.search_nodes({"query": memory.read_graph({})})');
    expect(argument.text).toContain('memory.search_nodes: arguments must be JSON data (memory.read_graph(...) was not awaited: put await before the call)');
  }, 240_000);

  it('names the operation meant for a misspelt one, and the namespace meant for a misspelt namespace', async () => {
    const operation = await executePython(gateway, 'return await memory.search_node({"query": "x"})');
    expect(operation.errorCode).toBe('OPERATION_UNKNOWN');
    expect(operation.text).toContain('memory.search_node is not a function; did you mean memory.search_nodes');
    expect(operation.text).toContain('at line 1, column 14');
    const namespace = await executePython(gateway, 'return await memry.search_nodes({"query": "x"})');
    expect(namespace.errorCode).toBe('OPERATION_UNKNOWN');
    expect(namespace.text).toContain('memry is not defined; did you mean memory.search_nodes?');
    // The program's own names are left to Python's message.
    const own = await executePython(gateway, 'result = 1\nreturn reslt');
    expect(own.errorCode).toBe('GUEST_THREW');
    expect(own.text).toContain("NameError: name 'reslt' is not defined");
  }, 240_000);

  it('still runs awaited calls, gathered calls and keyword arguments', async () => {
    const ok = await executePython(gateway, 'import asyncio\na, b = await asyncio.gather(memory.read_graph({}), memory.search_nodes(query="x"))\nreturn [len(a["entities"]) >= 0, b["entities"]]');
    expect(ok.isError, ok.text).toBe(false);
    expect(ok.text).toMatch(/\[\s*true,\s*\[\]\s*\]/);
  }, 240_000);
});
