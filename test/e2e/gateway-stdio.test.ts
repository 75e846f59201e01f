// The whole path over stdio: the official SDK client spawns `cemcp serve`, with the reference
// servers from npm (and one broken upstream) behind it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, search, startStdioGateway, tempDir, writeConfig, type RunningGateway } from './harness.js';

describe('cemcp serve over stdio', () => {
  let gateway: RunningGateway;
  const logs: string[] = [];

  const brokenServer = (dir: string) => {
    const file = path.join(dir, 'broken-server.mjs');
    writeFileSync(file, 'console.error("broken on purpose"); process.exit(1);\n');
    return file;
  };

  beforeAll(async () => {
    const dir = tempDir();
    const config = writeConfig(
      dir,
      // Inline code (`node -e`) is refused by the launcher: a real script that fails at start.
      { broken: { command: process.execPath, args: [brokenServer(dir)] } },
      { limits: { cpuMs: 1_000, wallMs: 5_000 } },
    );
    gateway = await startStdioGateway(config);
    gateway.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(String(n.params.data));
    });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('lists exactly search and execute, with small definitions', async () => {
    const { tools } = await gateway.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['execute', 'search']);
    expect(tools.every((t) => (t.description ?? '').length > 20)).toBe(true);
  });

  it('finds everything.get_sum for "sum of two numbers", with its signature', async () => {
    const { text } = await search(gateway.client, { query: 'sum of two numbers' });
    const first = text.split('\n\n')[0] ?? '';
    expect(first).toContain('everything.get_sum(');
    expect(first).toMatch(/a: number/);
    expect(first).toMatch(/b: number/);
  });

  it('filters search by server and rejects an unknown server by name', async () => {
    const { text } = await search(gateway.client, { query: 'read', server: 'memory', detail: 'name' });
    expect(text.split('\n').every((line) => line.startsWith('memory.'))).toBe(true);
    const bad = await search(gateway.client, { query: 'read', server: 'nope' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('server "nope" is not connected');
  });

  it('returns a program value', async () => {
    const result = await execute(gateway.client, 'return 6 * 7;');
    expect(result).toEqual({ text: '42', isError: false });
  });

  it('creates entities in server-memory, reads the graph back and returns only a count', async () => {
    const result = await execute(gateway.client, `
      await memory.create_entities({ entities: [
        { name: 'Ada', entityType: 'person', observations: ['wrote the first program'] },
        { name: 'Grace', entityType: 'person', observations: ['wrote a compiler'] },
        { name: 'Analytical Engine', entityType: 'machine', observations: [] },
      ] });
      const graph = await memory.read_graph({});
      return graph.entities.filter((e: { entityType: string }) => e.entityType === 'person').length;
    `);
    expect(result).toEqual({ text: '2', isError: false });
  });

  it('calls a tool whose upstream name has a dash through its identifier', async () => {
    const result = await execute(gateway.client, 'return await everything.get_sum({ a: 2, b: 3 });');
    expect(result.isError).toBe(false);
    expect(result.text).toMatch(/\b5\b/);
  });

  it('lets a program catch an upstream tool error as ToolError', async () => {
    const result = await execute(gateway.client, `
      try {
        await filesystem.read_text_file({ path: '/etc/passwd' });
        return 'no error';
      } catch (e) {
        return { name: e.name, isToolError: e instanceof ToolError, code: e.code, denied: /denied|outside|not allowed/i.test(e.message) };
      }
    `);
    expect(result.isError).toBe(false);
    expect(JSON.parse(result.text)).toEqual({ name: 'ToolError', isToolError: true, code: 'TOOL_ERROR', denied: true });
  });

  it('rejects a bad argument in the host, naming the field', async () => {
    // `// @ts-nocheck`: past the type-check (test/e2e/typecheck.test.ts), to the host's own validation.
    const result = await execute(gateway.client, `return await everything.get_sum({ a: 'two', b: 3 }); // @ts-nocheck`);
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Uncaught ToolError [ARGUMENT_INVALID]: everything.get_sum: field "a" must be number');
    expect(result.text).toMatch(/line 1/);
  });

  it('names the line and column of a syntax error', async () => {
    const result = await execute(gateway.client, 'const a = 1;\nconst b = ;\nreturn a;');
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/SyntaxError at line 2, column 11/);
  });

  it('names the line of a runtime error in the user code', async () => {
    const result = await execute(gateway.client, 'const x = 1;\n\nnotDefined.call();');
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/ReferenceError/);
    expect(result.text).toMatch(/at line 3/);
    expect(result.text).not.toMatch(/node_modules|dist\/|\.js:\d+/);
  });

  it('stops an infinite loop with a named limit, and the next execute still works', async () => {
    const looped = await execute(gateway.client, 'while (true) {}');
    expect(looped.isError).toBe(true);
    expect(looped.text).toMatch(/SANDBOX_CPU|SANDBOX_TIMEOUT/);
    const next = await execute(gateway.client, 'return "still here";');
    expect(next).toEqual({ text: 'still here', isError: false });
  });

  it('captures console output beside the return value', async () => {
    const result = await execute(gateway.client, 'console.log("hello", { n: 1 }); console.warn("careful"); return [1, 2];');
    expect(result.text).toBe('console:\nhello {"n":1}\n[warn] careful\n\nresult:\n[1,2]');
  });

  it('bounds a huge result to the token budget with a marker', async () => {
    const result = await execute(gateway.client, 'return "word ".repeat(200000);');
    expect(result.isError).toBe(false);
    expect(result.text).toMatch(/^shape: a string of 1,000,000 characters\nword word/);
    expect(result.text).toMatch(/cut by cemcp: the result is ~[\d,]+ tokens, over cemcp's answer budget of [\d,]+ \(cemcp\.surface\.maxTokens\), so this is a preview; not a limit of the API or the tool\. The whole value is kept in this session as handle "h_[\w-]{20}"/);
    expect(result.text.length).toBeLessThan(40_000);
  });

  it('reports the dead upstream on stderr and over MCP logging while the others serve', async () => {
    expect(gateway.stderr()).toMatch(/upstream "broken" \(stdio\): exited 1 during initialize/);
    expect(gateway.stderr()).toContain('broken on purpose');
    await expect.poll(() => logs.join('\n')).toMatch(/upstream "broken"/);
    // Its stderr may hold its own secrets: the gateway log has it, the client never does.
    expect(logs.join('\n')).not.toContain('broken on purpose');
    const { text } = await search(gateway.client, { query: 'entities', server: 'memory', detail: 'name' });
    expect(text).toContain('memory.create_entities');
  });

  it('says on stderr how many tools it loaded and the token footprint', () => {
    expect(gateway.stderr()).toMatch(/3 of 4 upstreams ready, 36 tools/);
    expect(gateway.stderr()).toMatch(/tool definitions sent each turn: cemcp [\d,]+ tokens( \(typed API inlined in execute; [\d,]+ without it\))? vs [\d,]+ for the 36 tools listed directly: \d+\.\d% less; tokenizer o200k_base/);
  });
});
