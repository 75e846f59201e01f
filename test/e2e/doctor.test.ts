// `cemcp doctor` against real servers (server-memory, server-everything) and an entry whose
// command does not exist: per-server counts from the servers' own tools/list, the failure with
// its fix, the description lint, and exit code 1 when one failed (0 when all connected).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, serverEntry, tempDir } from './harness.js';

const run = promisify(execFile);
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

interface DoctorJson {
  connected: number;
  failed: number;
  tools: number;
  definitionTokens: number;
  servers: { name: string; kind: string; ok: boolean; tools: number; startMs: number; definitionTokens: number; error?: string; fix?: string; lint: { tool: string; smells: string[] }[] }[];
}

async function doctor(configFile: string, json: boolean): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, [CLI, 'doctor', '--config', configFile, ...(json ? ['--json'] : [])], { env });
    return { stdout, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; code: number };
    return { stdout: failed.stdout, code: failed.code };
  }
}

/** The number of tools a server lists to the official SDK client directly. */
async function directToolCount(args: string[], extraEnv: Record<string, string> = {}): Promise<number> {
  const client = new Client({ name: 'doctor-e2e', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args, env: { ...env, ...extraEnv }, stderr: 'ignore' }));
  try {
    return (await client.listTools()).tools.length;
  } finally {
    await client.close();
  }
}

describe('cemcp doctor', () => {
  const dir = tempDir();
  const memoryFile = path.join(dir, 'memory.jsonl');
  const memory = { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-memory')], env: { MEMORY_FILE_PATH: memoryFile } };
  const everything = { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-everything'), 'stdio'] };
  const broken = { command: 'cemcp-no-such-server', args: ['--stdio'] };
  const withBroken = path.join(dir, 'mcp.json');
  const allGood = path.join(dir, 'good.json');
  const withApis = path.join(dir, 'apis.json');
  let report: DoctorJson;
  let exitCode: number;

  beforeAll(async () => {
    writeFileSync(withBroken, JSON.stringify({ mcpServers: { memory, everything, broken } }));
    writeFileSync(allGood, JSON.stringify({ mcpServers: { memory } }));
    writeFileSync(withApis, JSON.stringify({
      mcpServers: {},
      openapi: {
        pets: { spec: path.join(ROOT, 'test/fixtures/openapi/pets.yaml'), baseUrl: 'http://127.0.0.1:9' },
        nospec: { spec: './no-such-spec.json', baseUrl: 'http://127.0.0.1:9' },
      },
    }));
    const out = await doctor(withBroken, true);
    report = JSON.parse(out.stdout) as DoctorJson;
    exitCode = out.code;
  });

  it('counts each server\'s tools as the server itself lists them, and the failure', async () => {
    const [memoryTools, everythingTools] = await Promise.all([
      directToolCount(memory.args, memory.env),
      directToolCount(everything.args),
    ]);
    expect(report.connected).toBe(2);
    expect(report.failed).toBe(1);
    const byName = Object.fromEntries(report.servers.map((s) => [s.name, s]));
    expect(byName.memory).toMatchObject({ ok: true, tools: memoryTools });
    expect(byName.everything).toMatchObject({ ok: true, tools: everythingTools });
    expect(report.tools).toBe(memoryTools + everythingTools);
    expect(byName.memory!.lint).toHaveLength(memoryTools);
    expect(byName.memory!.definitionTokens).toBeGreaterThan(100);
    expect(report.definitionTokens).toBe(byName.memory!.definitionTokens + byName.everything!.definitionTokens);
  });

  it('reports the failing entry with why and the fix, and exits 1', () => {
    const broken = report.servers.find((s) => s.name === 'broken');
    expect(broken).toMatchObject({ ok: false, tools: 0 });
    expect(broken?.error).toMatch(/cannot run "cemcp-no-such-server": command not found/);
    expect(broken?.fix).toMatch(/install it, or give its absolute path in mcpServers\.broken\.command/);
    expect(exitCode).toBe(1);
  });

  it('says that serve would refuse the config for the missing command, and still checks every server', () => {
    expect((report as DoctorJson & { refused?: string }).refused).toMatch(/mcpServers\.broken\.command: command not found: "cemcp-no-such-server"/);
    expect(report.servers.map((s) => s.name).sort()).toEqual(['broken', 'everything', 'memory']);
  });

  it('lints every tool description against the six components', () => {
    const lint = report.servers.flatMap((s) => s.lint);
    expect(lint.length).toBe(report.tools);
    expect(lint.every((l) => Array.isArray(l.smells))).toBe(true);
    // server-everything's tools say what they do but not when to use them.
    expect(lint.some((l) => l.smells.includes('usage-missing'))).toBe(true);
  });

  it('prints a readable table and exits 0 when every upstream connected', async () => {
    const { stdout, code } = await doctor(allGood, false);
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ memory\s+stdio\s+\d+ tools/);
    expect(stdout).toMatch(/1 of 1 connected, \d+ tools, [\d,]+ tokens of definitions/);
    expect(stdout).toContain('Description lint:');
  });

  it('loads OpenAPI sources too: operations counted and linted, a missing spec with its fix', async () => {
    const { stdout, code } = await doctor(withApis, true);
    const apis = JSON.parse(stdout) as DoctorJson;
    expect(code).toBe(1);
    const pets = apis.servers.find((s) => s.name === 'pets');
    expect(pets).toMatchObject({ ok: true, kind: 'openapi' });
    expect(pets!.tools).toBeGreaterThan(0);
    expect(pets!.lint).toHaveLength(pets!.tools);
    const missing = apis.servers.find((s) => s.name === 'nospec');
    expect(missing?.error).toMatch(/cannot read spec .*no-such-spec\.json/);
    expect(missing?.fix).toBe('check openapi.nospec.spec: the path is relative to the config file');
  });
});
