// Python programs end to end: the built `cemcp serve` over stdio with the official SDK client,
// running `language: "python"` programs against the real server-memory. The same CRM-like end
// state from Python as from JavaScript, ToolError from a real tool, print, and errors at the line.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStdioGateway, tempDir, textOf, writeConfig, type RunningGateway } from './harness.js';

async function executePython(gateway: RunningGateway, code: string): Promise<{ text: string; isError: boolean; structured: Record<string, unknown> | undefined }> {
  const result = (await gateway.client.callTool({ name: 'execute', arguments: { code, language: 'python' } }, undefined, { timeout: 180_000 })) as CallToolResult;
  return { text: textOf(result), isError: result.isError === true, structured: result.structuredContent };
}

describe('execute with language "python" over MCP (stdio, real server-memory)', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    const dir = tempDir();
    gateway = await startStdioGateway(writeConfig(dir, {}, { python: { poolSize: 1 }, limits: { cpuMs: 2_000 } }));
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
  });

  it('offers language on execute, python among its values', async () => {
    const { tools } = await gateway.client.listTools();
    const schema = tools.find((t) => t.name === 'execute')?.inputSchema as { properties?: Record<string, { enum?: string[] }> };
    expect(schema.properties?.['language']?.enum).toContain('python');
  });

  it('tells the model how to write Python, and where Python signatures come from when the API inlined is TypeScript', async () => {
    const { tools } = await gateway.client.listTools();
    const [search, execute] = ['search', 'execute'].map((name) => tools.find((t) => t.name === name)?.description ?? '');
    expect(execute).toContain('Python: language "python", `r = await server.tool({"k": v})`, `except ToolError as e`.');
    // These 36 tools fit the default inline budget (auto mode): the API inlined is TypeScript only.
    expect(execute).toContain('The TypeScript API (Python signatures: search with language "python"):\ndeclare namespace');
    expect(execute).not.toMatch(/TypedDict|async def /);
    expect(search).toMatch(/language "python" gives Python signatures/);
    const found = (await gateway.client.callTool({ name: 'search', arguments: { query: 'create entities', server: 'memory', language: 'python' } })) as CallToolResult;
    expect(textOf(found)).toContain('async def memory.create_entities(args: CreateEntitiesArgs)');
  });

  it('runs a Python program that writes and reads the knowledge graph, with print and a JSON value', async () => {
    const code = `
people = [{"name": "Ada", "company": "Acme"}, {"name": "Lin", "company": "Globex"}]
await memory.create_entities({"entities": [
    {"name": p["name"], "entityType": "person", "observations": ["works at " + p["company"]]} for p in people
]})
await memory.create_relations({"relations": [{"from": "Ada", "to": "Lin", "relationType": "knows"}]})
graph = await memory.read_graph({})
names = sorted(e["name"] for e in graph["entities"])
print("entities:", len(names))
return {"names": names, "relations": [(r["from"], r["relationType"], r["to"]) for r in graph["relations"]]}
`;
    const out = await executePython(gateway, code);
    expect(out.isError, out.text).toBe(false);
    expect(out.text).toContain('entities: 2');
    expect(out.text).toContain('"names":');
    expect(out.text).toMatch(/"Ada",\s*"Lin"/);
    expect(out.text).toMatch(/"Ada",\s*"knows",\s*"Lin"/);
  }, 240_000);

  it('sees the same graph from JavaScript afterwards', async () => {
    const result = (await gateway.client.callTool({ name: 'execute', arguments: { code: 'const g = await memory.read_graph({}); return g.entities.map((e) => e.name).sort();' } })) as CallToolResult;
    expect(textOf(result)).toMatch(/"Ada",\s*"Lin"/);
  });

  it('raises a bad argument as a ToolError the program catches, with its code', async () => {
    const out = await executePython(gateway, 'try:\n    await memory.create_entities({"entities": "not a list"})\nexcept ToolError as e:\n    return [e.code, "entities" in e.message]');
    expect(out.isError, out.text).toBe(false);
    expect(out.text).toMatch(/\[\s*"ARGUMENT_INVALID",\s*true\s*\]/);
  });

  it('answers a syntax error with the line and column, and a runtime error at the user\'s line', async () => {
    const syntax = await executePython(gateway, 'x = 1\nif x\n    return 2');
    expect(syntax.isError).toBe(true);
    expect(syntax.text).toMatch(/^SyntaxError at line 2, column \d+: /);
    expect(syntax.structured?.['errorCode']).toBe('SYNTAX_ERROR');
    const thrown = await executePython(gateway, 'items = []\nreturn items[3]');
    expect(thrown.isError).toBe(true);
    expect(thrown.text).toMatch(/Uncaught IndexError: list index out of range[\s\S]*at line 2, column \d+: return items\[3\]/);
  });

  it('reports a syntax or indentation error at the line and column of the program as written, with that line', async () => {
    const syntax = await executePython(gateway, 'x = 1\nif x\n    return 2');
    expect(syntax.text).toBe("SyntaxError at line 2, column 5: expected ':'\n  2 | if x");
    const indent = await executePython(gateway, 'items = [1, 2]\nfor i in items:\nprint(i)');
    expect(indent.isError).toBe(true);
    expect(indent.structured?.['errorCode']).toBe('SYNTAX_ERROR');
    expect(indent.text).toMatch(/^IndentationError at line 3, column 1: expected an indented block after 'for' statement on line 2\n {2}3 \| print\(i\)$/);
  });

  it('trims a traceback to the program\'s own frames: none of the standard library, the bridge or the sandbox', async () => {
    const parse = await executePython(gateway, 'import json\n\ndef parse(text):\n    return json.loads(text)\n\nreturn parse("{broken")');
    expect(parse.structured?.['errorCode']).toBe('GUEST_THREW');
    expect(parse.text).toMatch(/^Uncaught JSONDecodeError: [^\n]+\n {2}line 6, in the program\n {2}line 4, in parse\n {2}at line 4, column 12: return json\.loads\(text\)$/);
    // A ToolError raised by the bridge deep in a helper: the helper's frames, then the call's line.
    const tool = await executePython(gateway, 'async def load(names):\n    return await memory.open_nodes({"names": names})\n\nreturn await load(42)');
    expect(tool.structured?.['errorCode']).toBe('ARGUMENT_INVALID');
    expect(tool.text).toMatch(/^Uncaught ToolError \[ARGUMENT_INVALID\]: [^\n]*names[^\n]*\n {2}line 4, in the program\n {2}line 2, in load\n {2}at line 2, column \d+: return await memory\.open_nodes\(\{"names": names\}\)$/);
    for (const text of [parse.text, tool.text]) expect(text).not.toMatch(/Traceback|File "|\.py\b|\/lib\/|_cemcp|pyodide|<exec>/);
  });

  it('ends a runaway Python loop with its limit and keeps serving', async () => {
    const loop = await executePython(gateway, 'while True:\n    pass');
    expect(loop.isError).toBe(true);
    expect(loop.structured?.['errorCode']).toBe('SANDBOX_CPU');
    const after = await executePython(gateway, 'return 6 * 7');
    expect(after.text).toContain('42');
  }, 120_000);
});
