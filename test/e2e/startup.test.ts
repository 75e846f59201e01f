// Start-up never waits on the slowest upstream: with one upstream that never answers initialize
// beside server-memory, the official SDK client's initialize and tools/list through `cemcp serve`
// complete long before the connect timeout, memory joins the catalog (tools/list_changed) and is
// callable, search names the hung upstream, and a connect timeout names the key that sets it.
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, HUNG_SERVER, execute, search, serverEntry, tempDir } from './harness.js';

const CONNECT_TIMEOUT_MS = 60_000;
/**
 * The bound checked from spawn to the tools/list answer. It includes starting Node and loading
 * cemcp (seconds on a loaded 2-core CI machine; ~1 s on a laptop): far below the 60 s a gateway
 * that waited for the hung upstream would take.
 */
const FIRST_ANSWER_BOUND_MS = 15_000;

function writeStartupConfig(dir: string, upstreams: Record<string, unknown>, connectTimeoutMs: number): string {
  const file = path.join(dir, 'mcp.json');
  writeFileSync(file, JSON.stringify({ mcpServers: upstreams, cemcp: { upstreams: { connectTimeoutMs, searchWaitMs: 500 } } }));
  return file;
}

function spawnGateway(configFile: string): { client: Client; transport: StdioClientTransport; stderr(): string } {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'serve', '--config', configFile],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return { client: new Client({ name: 'cemcp-startup', version: '1.0.0' }), transport, stderr: () => stderr };
}

describe('cemcp serve with an upstream that never answers initialize', () => {
  let gateway: ReturnType<typeof spawnGateway>;
  let firstAnswerMs = 0;
  let listChanged = 0;

  beforeAll(async () => {
    const dir = tempDir();
    const config = writeStartupConfig(dir, {
      hung: { command: process.execPath, args: [HUNG_SERVER] },
      memory: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-memory')], env: { MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl') } },
    }, CONNECT_TIMEOUT_MS);
    gateway = spawnGateway(config);
    gateway.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void listChanged++);
    const spawnedAt = performance.now();
    await gateway.client.connect(gateway.transport);
    await gateway.client.listTools();
    firstAnswerMs = performance.now() - spawnedAt;
  });

  afterAll(async () => {
    await gateway?.client.close();
  });

  it(`answers initialize and tools/list within ${FIRST_ANSWER_BOUND_MS} ms of spawn while connectTimeoutMs is ${CONNECT_TIMEOUT_MS}`, () => {
    expect(firstAnswerMs).toBeLessThan(FIRST_ANSWER_BOUND_MS);
  });

  it('calls memory while the hung upstream is still connecting (execute waits for the namespace it names)', async () => {
    const run = await execute(gateway.client, `
      await memory.create_entities({ entities: [{ name: 'Ada', entityType: 'person', observations: [] }] });
      return (await memory.read_graph({})).entities.map((e) => e.name);
    `);
    expect(run).toEqual({ text: '["Ada"]', isError: false });
  });

  it('says in search answers which upstream is still connecting, and how long it has been', async () => {
    const { text, isError } = await search(gateway.client, { query: 'create entities', detail: 'name' });
    expect(isError).toBe(false);
    expect(text).toContain('memory.create_entities');
    expect(text).toMatch(/Not in these results: "hung" is still connecting \(\d+ s so far, timeout 60 s\)\.$/);
  });

  it('sends tools/list_changed when the catalog grows, and the new list carries the typed API', async () => {
    await expect.poll(() => listChanged, { timeout: 10_000 }).toBeGreaterThan(0);
    const { tools } = await gateway.client.listTools();
    const executeTool = tools.find((t) => t.name === 'execute');
    expect(executeTool?.description).toContain('declare namespace memory');
    expect(executeTool?.description).toContain('function create_entities(');
  });

  it('answers a search limited to the hung upstream with its state', async () => {
    const { text } = await search(gateway.client, { query: 'anything', server: 'hung' });
    expect(text).toMatch(/"hung" is still connecting/);
  });
});

describe('an upstream connect timeout', () => {
  it('names the timeout and the key that sets it, not the SIGTERM that followed', async () => {
    const config = writeStartupConfig(tempDir(), { hung: { command: process.execPath, args: [HUNG_SERVER] } }, 1_500);
    const gateway = spawnGateway(config);
    await gateway.client.connect(gateway.transport);
    try {
      await expect.poll(() => gateway.stderr(), { timeout: 15_000 }).toMatch(/no answer to initialize within 1500 ms/);
      expect(gateway.stderr()).toContain('cemcp.upstreams.connectTimeoutMs');
      expect(gateway.stderr()).not.toMatch(/killed by SIGTERM/);
      const { text } = await search(gateway.client, { query: 'anything' });
      expect(text).toMatch(/"hung" failed: upstream "hung" \(stdio\): no answer to initialize within 1500 ms; .*cemcp\.upstreams\.connectTimeoutMs/);
      const run = await execute(gateway.client, 'return await hung.ping({});');
      expect(run.isError).toBe(true);
      expect(run.text).toMatch(/Upstreams not available: "hung" failed: .*connectTimeoutMs/);
    } finally {
      await gateway.client.close();
    }
  });
});

describe('cemcp exec', () => {
  it('starts only the upstreams its program names: a hung one elsewhere in the config does not delay it', async () => {
    const dir = tempDir();
    const config = writeStartupConfig(dir, {
      hung: { command: process.execPath, args: [HUNG_SERVER] },
      memory: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-memory')], env: { MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl') } },
    }, CONNECT_TIMEOUT_MS);
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const startedAt = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'exec', '--config', config, 'return (await memory.read_graph({})).entities.length'], { env });
    expect(stdout.trim()).toBe('0');
    // Had it started `hung` too and waited for it, this would take the 60 s connect timeout.
    expect(performance.now() - startedAt).toBeLessThan(FIRST_ANSWER_BOUND_MS + 10_000);
  });
});
