import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog, ShapeBook, withLearnedShapes } from '../catalog/index.js';
import { CemcpError, countTokens, silentLogger } from '../common/index.js';
import { createQuickJsEngine } from '../sandbox/index.js';
import { outcomeInvoker } from '../upstream/index.js';
import { GatewayService } from './gateway-service.js';
import { createMcpServer } from './mcp-server.js';

const catalog = Catalog.fromSources([{
  server: 'math',
  tools: [
    { name: 'add', description: 'Adds two numbers. Returns their sum.', inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] } },
    { name: 'negate', description: 'Negates a number', inputSchema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
  ],
}]);

// A real in-process upstream: the invoker computes the answers itself, and records concurrency.
let inFlight = 0;
let maxInFlight = 0;
const invoker = outcomeInvoker({
  async callTool(_server, tool, args) {
    const a = args as { a: number; b: number; x: number };
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    if (tool === 'negate' && a.x === 999) return { content: [{ type: 'text', text: JSON.stringify('y'.repeat(60_000)) }] };
    return { content: [{ type: 'text', text: JSON.stringify(tool === 'add' ? a.a + a.b : -a.x) }] };
  },
});

const engine = createQuickJsEngine({ poolSize: 1 });
const limits = {
  cpuMs: 1_000, wallMs: 5_000, memoryBytes: 32 << 20, stackBytes: 256 << 10, maxLogBytes: 10_000,
  maxResultBytes: 100_000, maxToolCalls: 3, toolCallTimeoutMs: 1_000, maxConcurrentCalls: 2, maxToolResultBytes: 50_000,
};
const service = (inlineApiMaxTokens: number) => new GatewayService(catalog, {
  runtime: { engine, invoker, limits, maxTokens: 1_000 }, inlineApiMaxTokens, logger: silentLogger,
});

afterAll(() => engine.close());

describe('GatewayService', () => {
  // DESIGN.md's target is 400; this bound keeps a margin (search's `language` enum took it from 297 to 310, execute's Python line to 339).
  it('keeps both tool definitions under 350 tokens without the inline API', () => {
    const definitions = service(0).toolDefinitions();
    expect(definitions.map((d) => d.name)).toEqual(['search', 'execute']);
    expect(countTokens(JSON.stringify(definitions))).toBeLessThan(350);
    expect(definitions[1]!.description).not.toContain('declare namespace');
  });

  it('inlines the typed API in execute when it fits the budget (auto mode)', () => {
    const s = service(1_500);
    expect(s.toolDefinitions()[1]!.description).toContain('declare namespace math');
    expect(s.footprint()).toMatchObject({ servers: 1, tools: 2, inlineApi: true });
    // The model holds the API already: search says it is not needed, so nothing is paid twice.
    expect(s.toolDefinitions()[0]!.description).toMatch(/^Not needed/);
    expect(countTokens(s.toolDefinitions()[1]!.description ?? '')).toBeGreaterThan(countTokens(service(0).toolDefinitions()[1]!.description ?? ''));
  });

  it('says how to write Python in both modes, and in auto mode sends Python signatures to search rather than inlining them too', () => {
    for (const definitions of [service(0).toolDefinitions(), service(1_500).toolDefinitions()]) {
      expect(definitions[1]!.description).toContain('Python: language "python", `r = await server.tool({"k": v})`, `except ToolError as e`.');
    }
    const [search, execute] = service(1_500).toolDefinitions();
    expect(execute!.description).toContain('The TypeScript API (Python signatures: search with language "python"):\ndeclare namespace math');
    expect(search!.description).toMatch(/^Not needed for JS\/TS \(execute lists the API\); language "python" gives Python signatures\./);
    // One API inlined, not both: no Python rendering (TypedDict, def) beside the TypeScript.
    expect(execute!.description).not.toMatch(/TypedDict|async def |^class /m);
  });

  it('does not inline an API larger than the budget', () => {
    expect(service(10).footprint().inlineApi).toBe(false);
  });

  it('tells listeners when a new catalog changes the definitions', () => {
    const s = service(1_500);
    let calls = 0;
    s.onDefinitionsChanged(() => calls++);
    s.setCatalog(catalog);
    expect(calls).toBe(0);
    s.setCatalog(Catalog.fromSources([]));
    expect(calls).toBe(1);
  });

  it('shows learned result types in search, never in the tool definitions (they stay as declared)', async () => {
    const s = service(1_500);
    let calls = 0;
    s.onDefinitionsChanged(() => calls++);
    const before = JSON.stringify(s.toolDefinitions());
    const book = new ShapeBook();
    book.observe(catalog.operations[0]!, 3);
    book.observe(catalog.operations[0]!, 4.5);
    s.setCatalog(withLearnedShapes(catalog, book));
    expect(calls).toBe(0);
    expect(JSON.stringify(s.toolDefinitions())).toBe(before);
    const text = await s.search({ query: 'sum of numbers', detail: 'full' });
    expect(text).toContain('/** inferred from 2 calls */\ntype AddResult = number;');
    expect(text).toContain('): Promise<AddResult>');
    // Another overlay on top (a new Catalog of those operations) still leaves the definitions as declared.
    s.setCatalog(new Catalog(withLearnedShapes(catalog, book).operations));
    expect(JSON.stringify(s.toolDefinitions())).toBe(before);
    expect(calls).toBe(0);
  });

  it('bounds a search answer to the token budget with a marker', async () => {
    const wide = Catalog.fromSources([{ server: 'wide', tools: [{ name: 'big', description: 'A tool with many fields', inputSchema: {
      type: 'object', properties: Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`field_${i}`, { type: 'string', description: `Field number ${i}` }])),
    } }] }]);
    const s = service(0);
    s.setCatalog(wide);
    const text = await s.search({ query: 'many fields', detail: 'full' });
    expect(countTokens(text)).toBeLessThan(1_100);
    expect(text).toMatch(/cut by cemcp: this answer is ~[\d,]+ tokens, showing the first 1,000/);
  });

  it('answers search with full signatures for the top hits', async () => {
    const text = await service(0).search({ query: 'sum of numbers' });
    expect(text.startsWith('/** Adds two numbers')).toBe(true);
    expect(text).toContain('math.add(args: {');
  });

  it('tells onRunEnd listeners of every run as it ends, with its result and duration, until unsubscribed', async () => {
    const s = service(0);
    const seen: { ok: boolean; code: string | undefined; calls: number; durationMs: number }[] = [];
    const stop = s.onRunEnd(({ result, durationMs }) => seen.push({ ok: result.ok, code: result.errorCode, calls: result.calls.length, durationMs }));
    await s.execute('return await math.add({ a: 1, b: 2 })');
    await s.execute('throw new Error("no")');
    stop();
    await s.execute('return 1');
    expect(seen.map(({ ok, code, calls }) => ({ ok, code, calls }))).toEqual([{ ok: true, code: undefined, calls: 1 }, { ok: false, code: 'GUEST_THREW', calls: 0 }]);
    expect(seen.every((run) => run.durationMs > 0)).toBe(true);
    expect(s.activeRuns).toBe(0);
  });

  it('stopRuns ends a running program, and any started later, with the reason as its answer', async () => {
    const s = service(0);
    const running = s.execute('await math.add({ a: 1, b: 2 }); for (;;) {}');
    while (s.activeRuns === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    s.stopRuns(new CemcpError('SANDBOX_CANCELLED', 'the gateway is shutting down (test)'));
    const result = await running;
    expect(result).toMatchObject({ ok: false, errorCode: 'SANDBOX_CANCELLED' });
    expect(result.text).toContain('the gateway is shutting down (test)');
    expect(await s.execute('return 1')).toMatchObject({ ok: false, errorCode: 'SANDBOX_CANCELLED' });
    expect(s.activeRuns).toBe(0);
  });

  it('answers search with Python signatures when asked, over MCP with the official client', async () => {
    const server = createMcpServer(service(0));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'search-language', version: '1.0.0' });
    await client.connect(clientSide);
    try {
      const { tools } = await client.listTools();
      expect(tools[0]?.inputSchema.properties?.['language']).toEqual({ enum: ['javascript', 'typescript', 'python'] });
      const text = async (args: Record<string, unknown>) => {
        const result = await client.callTool({ name: 'search', arguments: args }) as { content: { text: string }[]; isError?: boolean };
        return { text: result.content[0]?.text ?? '', isError: result.isError === true };
      };
      const python = await text({ query: 'sum of numbers', language: 'python' });
      expect(python.text).toMatch(/^class AddArgs\(TypedDict\): a: float; b: float\n# Adds two numbers\. Returns their sum\.\nasync def math\.add\(args: AddArgs\) -> Any\n/);
      expect(python.text).toContain('Also:\nmath.negate({ "x": float }) # Negates a number');
      expect((await text({ query: 'sum of numbers', language: 'javascript' })).text).toContain('math.add(args: {');
      const bad = await text({ query: 'sum', language: 'rust' });
      expect(bad.isError).toBe(true);
      expect(bad.text).toMatch(/language/);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('executes a program against the catalog through the invoker', async () => {
    const result = await service(0).execute('const s = await math.add({ a: 2, b: 3 });\nreturn await math.negate({ x: s });');
    expect(result).toMatchObject({ ok: true, text: '-5', calls: [{ call: 'math.add', ok: true }, { call: 'math.negate', ok: true }] });
    expect(result.tokensIn).toBeGreaterThan(10);
  });

  it('ends a run that exceeds the tool call limit with LIMIT_TOOL_CALLS', async () => {
    const result = await service(0).execute('for (let i = 0; i < 10; i++) await math.negate({ x: i });\nreturn "done";');
    expect(result.ok).toBe(false);
    expect(result.errorCode).toBe('LIMIT_TOOL_CALLS');
    expect(result.text).toContain('at most 3 calls per run');
  });

  it('keeps at most maxConcurrentCalls tool calls in flight; the rest wait', async () => {
    maxInFlight = 0;
    const result = await service(0).execute('return await Promise.all([1, 2, 3].map((x) => math.negate({ x })));');
    expect(result).toMatchObject({ ok: true, text: '[-1,-2,-3]' });
    expect(maxInFlight).toBe(2);
  });

  it('refuses a tool result over maxToolResultBytes with a catchable LIMIT_RESULT_SIZE', async () => {
    const result = await service(0).execute('try { await math.negate({ x: 999 }); } catch (e) { return e.code + ": " + e.message; }');
    expect(result.text).toBe('LIMIT_RESULT_SIZE: math.negate: the result is over the limit of 50000 bytes; ask for less (filters, pagination), or raise cemcp.limits.maxToolResultBytes');
  });
});
