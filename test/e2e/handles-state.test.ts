// Result handles and `state` over MCP, with the official SDK client against `cemcp serve --http`
// and real npm servers: a ~5 MB value built from a real tool result (server-filesystem reading a
// file) answers within the token budget as a preview with a handle; a second execute of the same
// session reads it back exactly; another session can't; past the byte bound the oldest is dropped.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens } from '../../src/common/index.js';
import { spawnSync } from 'node:child_process';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CLI, execute, serverEntry, spawnHttpGateway, tempDir, textOf } from './harness.js';

const MAX_TOKENS = 2_000;
// Two ~5.3 MB handles fit; a third drops the oldest.
const HANDLE_BYTES = 12_000_000;
const HANDLE_ID = /handle "(h_[A-Za-z0-9_-]{20})"/;

/** The same checksum in the sandbox (plain JavaScript, no host modules) and here. */
/** execute, with the structuredContent's handle beside the text. */
async function executeRaw(client: Client, code: string): Promise<{ text: string; isError: boolean; handle?: string }> {
  const result = (await client.callTool({ name: 'execute', arguments: { code } })) as CallToolResult;
  return { text: textOf(result), isError: result.isError === true, handle: (result.structuredContent as { handle?: string } | undefined)?.handle };
}

const FNV = `function fnv(s) { let h = 0x811c9dc5; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; } return h; }`;
const fnv = new Function(`${FNV}; return fnv;`)() as (s: string) => number;

describe('result handles and state over MCP (HTTP, two sessions)', () => {
  let gateway: Awaited<ReturnType<typeof spawnHttpGateway>>;
  let dir: string;
  let expectedJson: string;
  const clients: Client[] = [];

  const connect = async (): Promise<Client> => {
    const client = new Client({ name: 'handles-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    clients.push(client);
    return client;
  };
  // A real tool result: server-filesystem reads the file; the program returns its lines as rows.
  const bigProgram = (file: string) => `
    const r = await filesystem.read_text_file({ path: ${JSON.stringify(file)} });
    const text = typeof r === 'string' ? r : r.content;
    const rows = text.split('\\n').filter(Boolean).map((line) => { const [id, city, amount] = line.split(','); return { id: Number(id), city, amount: Number(amount) }; });
    return { source: ${JSON.stringify(path.basename(file))}, count: rows.length, rows };`;

  beforeAll(async () => {
    dir = tempDir('cemcp-handles-');
    const cities = ['Lisbon', 'Oslo', 'Nairobi', 'Lima', 'Osaka', 'Quito'];
    const lines = Array.from({ length: 120_000 }, (_, i) => `${i},${cities[i % cities.length]},${(i * 37) % 10_007}`);
    writeFileSync(path.join(dir, 'sales.csv'), `${lines.join('\n')}\n`);
    writeFileSync(path.join(dir, 'sales-2.csv'), `${lines.slice(0, 119_000).join('\n')}\n`);
    expectedJson = JSON.stringify({
      source: 'sales.csv', count: lines.length,
      rows: lines.map((line) => { const [id, city, amount] = line.split(','); return { id: Number(id), city, amount: Number(amount) }; }),
    });
    const file = path.join(dir, 'mcp.json');
    writeFileSync(file, JSON.stringify({
      mcpServers: { filesystem: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-filesystem'), dir] } },
      cemcp: { surface: { maxTokens: MAX_TOKENS }, handles: { maxBytesPerSession: HANDLE_BYTES }, state: { maxKeys: 3, maxValueBytes: 2_000 } },
    }));
    gateway = await spawnHttpGateway(file);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    const exited = new Promise((resolve) => gateway?.child.once('exit', resolve));
    gateway?.child.kill('SIGTERM');
    await exited;
  });

  it('answers a ~5 MB value under the budget with a preview and a handle, read back exactly in the next execute; another session cannot', async () => {
    expect(expectedJson.length).toBeGreaterThan(5_000_000);
    const a = await connect();
    const first = await executeRaw(a, bigProgram(path.join(dir, 'sales.csv')));
    expect(first.isError).toBe(false);
    expect(countTokens(first.text)).toBeLessThanOrEqual(MAX_TOKENS);
    expect(first.text).toMatch(/^shape: \{ source: string, count: number, rows: \{ id: number, city: string, amount: number \}\[\] \(120,000\) \}\nfirst \d+ of 120,000 items of all\.rows:\n\{"source":"sales\.csv","count":120000,"rows":\[\{"id":0,"city":"Lisbon","amount":0\}/);
    expect(first.text).toContain("over cemcp's answer budget of 2,000 (cemcp.surface.maxTokens), so this is a preview; not a limit of the API or the tool.");
    const id = HANDLE_ID.exec(first.text)![1]!;
    expect(first.handle).toBe(id);
    expect(first.text).toMatch(new RegExp(`read the rest in a program: const all = await handles\\.get\\("${id}"\\); return all\\.rows\\.slice\\(\\d+, \\d+\\)\\]$`));

    const back = await execute(a, `${FNV}\nconst all = await handles.get(${JSON.stringify(id)}); const s = JSON.stringify(all); return { length: s.length, fnv: fnv(s), last: all.rows[all.rows.length - 1] };`);
    expect(back.isError).toBe(false);
    expect(JSON.parse(back.text)).toEqual({ length: expectedJson.length, fnv: fnv(expectedJson), last: { id: 119_999, city: 'Quito', amount: (119_999 * 37) % 10_007 } });

    const b = await connect();
    const stranger = await execute(b, `return await handles.get(${JSON.stringify(id)});`);
    expect(stranger.isError).toBe(true);
    expect(stranger.text).toContain(`ToolError [HANDLE_UNKNOWN]: handles.get("${id}"): no such handle: it never existed in this session`);
  }, 120_000);

  it('drops the oldest handle past cemcp.handles.maxBytesPerSession and names it when read', async () => {
    const c = await connect();
    const ids: string[] = [];
    for (const name of ['sales.csv', 'sales-2.csv', 'sales.csv']) {
      const out = await execute(c, bigProgram(path.join(dir, name)));
      ids.push(HANDLE_ID.exec(out.text)![1]!);
    }
    const gone = await execute(c, `return await handles.get(${JSON.stringify(ids[0])});`);
    expect(gone.isError).toBe(true);
    expect(gone.text).toContain(`ToolError [HANDLE_DROPPED]: handles.get("${ids[0]}"): the handle was dropped: a session keeps at most 12,000,000 bytes of handles (cemcp.handles.maxBytesPerSession) and drops the oldest first.`);
    const kept = await execute(c, `const all = await handles.get(${JSON.stringify(ids[1])}); return [all.source, all.count];`);
    expect(kept.text).toBe('["sales-2.csv",119000]');
  }, 180_000);

  it('keeps state from one execute to the next of a session, per session, within its bounds', async () => {
    const a = await connect();
    const b = await connect();
    expect((await execute(a, 'await state.set("cursor", { page: 2 }); await state.set("seen", ["x"]); return await state.keys();')).text).toBe('["cursor","seen"]');
    expect((await execute(a, 'const c = await state.get("cursor"); return c.page;')).text).toBe('2');
    expect((await execute(b, 'return [await state.get("cursor"), await state.keys()];')).text).toBe('[null,[]]');
    const tooMany = await execute(a, 'await state.set("a", 1); await state.set("b", 2);');
    expect(tooMany.isError).toBe(true);
    expect(tooMany.text).toContain('ToolError [LIMIT_STATE]: state.set("b"): this session already holds 3 keys, the limit (cemcp.state.maxKeys)');
    const tooBig = await execute(a, 'try { await state.set("cursor", "x".repeat(3000)); } catch (e) { return e.code + " " + e.message; }');
    expect(tooBig.text).toBe('LIMIT_STATE state.set("cursor"): the value is 3,002 bytes of JSON, over the limit of 2,000 bytes per value (cemcp.state.maxValueBytes); store less under one key');
    expect((await execute(a, 'return [await state.delete("a"), await state.keys()];')).text).toBe('[true,["cursor","seen"]]');
  }, 60_000);
});

describe('a one-off run (cemcp exec)', () => {
  it('keeps no handle and says so, and has no state', () => {
    const dir = tempDir('cemcp-handles-exec-');
    const config = path.join(dir, 'mcp.json');
    writeFileSync(config, JSON.stringify({ mcpServers: {} }), { mode: 0o600 });
    const env = { PATH: process.env.PATH ?? '', HOME: dir };
    const big = spawnSync(process.execPath, [CLI, 'exec', '--config', config, 'return "word ".repeat(100000);'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(big.status, big.stderr).toBe(0);
    expect(big.stdout).toContain('No handle was kept: this run has no MCP session (a one-off run keeps nothing).');
    expect(big.stdout).not.toContain('handles.get');
    const state = spawnSync(process.execPath, [CLI, 'exec', '--config', config, 'await state.set("k", 1);'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(state.status).toBe(1);
    expect(state.stdout).toContain('ToolError [NO_SESSION]: state.set: this run has no MCP session, so it has no state');
  }, 60_000);
});
