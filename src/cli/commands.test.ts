import { existsSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import type { CliIo } from './command.js';
import { COMMANDS } from './commands.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cemcp-commands-'));
const marker = path.join(dir, 'spawned');
const config = path.join(dir, 'mcp.json');
// `tripwire` leaves a file behind if a gateway ever spawns it: usage errors must come first.
writeFileSync(path.join(dir, 'tripwire.mjs'), 'import { writeFileSync } from "node:fs"; writeFileSync(process.env.MARK, "x");\n');
writeFileSync(config, JSON.stringify({ mcpServers: { tripwire: { command: process.execPath, args: [path.join(dir, 'tripwire.mjs')], env: { MARK: marker } } } }), { mode: 0o600 });

function io(stdinIsTTY = false): CliIo & { out: string[] } {
  const out: string[] = [];
  return {
    out, env: { PATH: process.env.PATH }, stdinIsTTY, stdout: (text) => out.push(text),
    logger: () => ({ log() {} }), readStdin: async () => '',
  };
}

const command = (name: string) => {
  const found = COMMANDS.find((c) => c.name === name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
};

describe('the command table', () => {
  it('gives every command a one-line summary and a usage that starts with its name', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(['serve', 'search', 'exec', 'types', 'doctor', 'init', 'audit', 'bench']);
    for (const c of COMMANDS) {
      expect(c.summary).not.toContain('\n');
      expect(c.usage).toMatch(new RegExp(`^Usage: cemcp ${c.name}`));
    }
  });

  it.each([
    ['serve', ['--bogus'], /^serve: Unknown option '--bogus'\nRun "cemcp serve --help" for its options\.$/],
    ['serve', ['--port', '8787'], /^serve: --port needs --http \(stdio has no port or host\)$/],
    ['serve', ['--allowed-host', 'x'], /^serve: --allowed-host needs --http/],
    ['serve', ['--http', '--port', 'eighty'], /^--port: expected 0-65535, got "eighty"$/],
    ['serve', ['--http', '--port', '70000'], /^--port: expected 0-65535, got "70000"$/],
    ['serve', ['--http', '--allowed-origin', 'https://a.example.com/path'], /^--allowed-origin: expected an origin such as https:\/\/app\.example\.com/],
    ['search', [], /^search: give a query, e\.g\. cemcp search --config mcp\.json "list issues"$/],
    ['search', ['--limit', '0', 'x'], /^--limit: expected a positive whole number, got "0"$/],
    ['search', ['--detail', 'all', 'x'], /^--detail: expected name, summary or full, got "all"$/],
    ['exec', ['--file', '/nonexistent/p.ts'], /^--file \/nonexistent\/p\.ts: cannot read it \(ENOENT\)$/],
    ['exec', ['--file', 'p.ts', 'return 1'], /^exec: give the program either as CODE or with --file, not both$/],
    ['exec', ['   '], /^exec: the program is empty$/],
    ['types', ['--what'], /^types: Unknown option '--what'/],
    ['types', ['--language', 'rust'], /^--language: expected typescript, javascript or python, got "rust"$/],
    ['types', ['--language', 'python', '--json'], /^types: --json lists the schemas; give --language without --json$/],
    ['search', ['--language', 'go', 'x'], /^--language: expected typescript, javascript or python, got "go"$/],
    ['init', ['a.json', 'b.json'], /^init: give at most one file name$/],
    ['audit', ['--flag', 'nope', '--dir', '/tmp'], /^--flag: expected one of/],
  ])('%s %j is a usage error before anything starts', async (name, args, message) => {
    const error = await command(name).run([...args, ...(name === 'init' || name === 'audit' ? [] : ['--config', config])], io()).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'USAGE' });
    expect((error as Error).message).toMatch(message);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses exec with no program when stdin is a terminal', async () => {
    await expect(command('exec').run(['--config', config], io(true))).rejects.toThrow(
      `exec: no program given. Pass it as an argument (cemcp exec 'return 1'), with --file PROGRAM.ts, or on stdin (echo 'return 1' | cemcp exec)`);
    expect(existsSync(marker)).toBe(false);
  });

  it('init writes a starter config only its owner can write, and will not overwrite it', async () => {
    const file = path.join(dir, 'starter.json');
    const out = io();
    await command('init').run([file], out);
    expect(out.out.join('')).toContain(`Wrote ${file}. Next:`);
    const { statSync, readFileSync } = await import('node:fs');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ mcpServers: { memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } } });
    // What it writes is a valid config (npx found on PATH, every cemcp key known).
    await expect(loadConfig(file, { PATH: process.env.PATH })).resolves.toMatchObject({ cemcp: { limits: { cpuMs: 10_000 } } });
    await expect(command('init').run([file], io())).rejects.toThrow(`init: ${file} exists; choose another name or add --force to overwrite it`);
    await expect(command('init').run([file, '--force'], io())).resolves.toBeUndefined();
  });
});
