// Launcher battery, classes: every spelling the outside battery found that really ran a shell
// (prefix launchers, flag spellings, shells off the old list) is refused when the config loads,
// with the path, what would run and the fix, and nothing is spawned; with `allowShell` the same
// entry really runs (a marker file appears), which is what makes the refusal meaningful.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../src/config/index.js';
import { UpstreamPool } from '../../src/upstream/index.js';
import { CLI, FIXTURE_SERVER, tempDir } from '../e2e/harness.js';

const dir = tempDir('cemcp-launcher-');
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const marker = (name: string) => path.join(dir, `ran-${name}`);
const touch = (name: string) => `touch ${marker(name)}`;
const nodeWrites = (name: string) => `require("fs").writeFileSync(${JSON.stringify(marker(name))}, "")`;

interface Spelling {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** What the refusal says would run. */
  readonly resolves: string;
}

const SPELLINGS: readonly Spelling[] = [
  { name: 'env-sh', command: 'env', args: ['sh', '-c', touch('env-sh')], resolves: '"sh -c" via env' },
  { name: 'usr-bin-env-bash', command: '/usr/bin/env', args: ['bash', '-c', touch('usr-bin-env-bash')], resolves: '"bash -c" via env' },
  { name: 'timeout', command: 'timeout', args: ['120', 'sh', '-c', touch('timeout')], resolves: '"sh -c" via timeout' },
  { name: 'flock', command: 'flock', args: [path.join(dir, 'lock'), '-c', touch('flock')], resolves: '"flock -c"' },
  { name: 'bash-lc', command: 'bash', args: ['-lc', touch('bash-lc')], resolves: '"bash -lc"' },
  { name: 'env-split-string', command: 'env', args: [`--split-string=sh -c '${touch('env-split-string')}'`], resolves: '"sh -c" via env --split-string' },
  { name: 'env-S-attached', command: 'env', args: [`-Ssh -c '${touch('env-S-attached')}'`], resolves: '"sh -c" via env -S' },
  { name: 'npx-call', command: 'npx', args: [`--call=${touch('npx-call')}`], resolves: '"npx --call"' },
  { name: 'rbash', command: 'rbash', args: ['-c', touch('rbash')], resolves: '"rbash -c"' },
  { name: 'dash-abs', command: '/usr/bin/dash', args: ['-c', touch('dash-abs')], resolves: '"dash -c"' },
  { name: 'nice-nohup-setsid-stdbuf', command: 'nice', args: ['-n', '5', 'nohup', 'setsid', '-w', 'stdbuf', '-oL', 'bash', '-c', touch('nice-nohup-setsid-stdbuf')], resolves: '"bash -c" via nice, nohup, setsid, stdbuf' },
  { name: 'node-e', command: process.execPath, args: ['-e', nodeWrites('node-e')], resolves: '"node -e"' },
  { name: 'timeout-node-eval', command: 'timeout', args: ['60', 'node', `--eval=${nodeWrites('timeout-node-eval')}`], resolves: '"node --eval" via timeout' },
  { name: 'perl-e', command: 'perl', args: ['-e', `open(F, ">", "${marker('perl-e')}")`], resolves: '"perl -e"' },
  { name: 'busybox-sh', command: 'busybox', args: ['sh', '-c', touch('busybox-sh')], resolves: '"sh -c" via busybox' },
  { name: 'python-versioned', command: 'python3.11', args: ['-c', 'open("x", "w")'], resolves: '"python3.11 -c"' },
];

function writeConfigFile(name: string, servers: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ mcpServers: servers, cemcp: { upstreams: { connectTimeoutMs: 20_000, restartInitialDelayMs: 60_000 } } }), { mode: 0o600 });
  return file;
}

const onPath = (program: string): boolean =>
  path.isAbsolute(program) ? existsSync(program) : env.PATH.split(':').some((folder) => existsSync(path.join(folder, program)));

const pools: UpstreamPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
});

/** Starts the entry through the real launcher and waits (a little) for its marker. */
async function launch(config: LoadedConfig, name: string): Promise<boolean> {
  const pool = new UpstreamPool(config);
  pools.push(pool);
  await pool.start();
  for (let i = 0; i < 50 && !existsSync(marker(name)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  await pool.close();
  return existsSync(marker(name));
}

describe('launcher classes: wrapper chains that end in a shell or inline code', () => {
  it.each(SPELLINGS.map((s) => [s.name, s] as const))('refuses %s when the config loads, saying what would run and how to allow it', async (name, spelling) => {
    const file = writeConfigFile(name, { x: { command: spelling.command, args: spelling.args } });
    const error = await loadConfig(file, env).then(() => undefined, (e: Error) => e);
    expect(error?.message).toContain(`${name}.json: mcpServers.x.command: `);
    expect(error?.message).toContain(`resolves to ${spelling.resolves}`);
    expect(error?.message).toContain('set "allowShell": true on this entry if intended');
    expect(existsSync(marker(name))).toBe(false);
  });

  it('never spawns anything: `cemcp serve` with every refused entry exits with the error and no marker appears', () => {
    const servers = Object.fromEntries(SPELLINGS.map((s) => [s.name, { command: s.command, args: s.args }]));
    const file = writeConfigFile('all-refused', servers);
    const run = spawnSync(process.execPath, [CLI, 'serve', '--config', file], { env, encoding: 'utf8', timeout: 60_000, input: '' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/all-refused\.json: mcpServers\.[\w-]+\.command: runs (a shell|inline code): resolves to "/);
    for (const spelling of SPELLINGS) expect(existsSync(marker(spelling.name)), spelling.name).toBe(false);
  });

  // The control: with allowShell the same entries do run a shell on this machine (those whose
  // programs are installed; the core ones must be). This is what the refusals above prevent.
  const runnable = SPELLINGS.filter((s) => onPath(s.command) && !s.name.startsWith('python'));
  it('has the core programs to run the control', () => {
    expect(runnable.map((s) => s.name)).toEqual(expect.arrayContaining(['env-sh', 'timeout', 'bash-lc', 'env-split-string', 'env-S-attached', 'node-e']));
  });

  it.each(runnable.map((s) => [s.name, s] as const))('really runs %s once the entry sets allowShell (the control)', async (name, spelling) => {
    const file = writeConfigFile(`${name}-allowed`, { [name]: { command: spelling.command, args: spelling.args, allowShell: true } });
    const config = await loadConfig(file, env);
    expect(await launch(config, name)).toBe(true);
  });
});

describe('launcher classes: what is not refused still works through the real launcher', () => {
  it('starts a server behind timeout, nice, env -S and env NAME=VALUE, and lists its tools', async () => {
    const file = writeConfigFile('wrapped-ok', {
      wrapped: { command: 'timeout', args: ['600', 'nice', '-n', '1', 'env', `-SAPP_MODE=test ${process.execPath} ${FIXTURE_SERVER}`] },
    });
    const config = await loadConfig(file, env);
    const pool = new UpstreamPool(config);
    pools.push(pool);
    const report = await pool.start();
    expect(report.failed).toEqual([]);
    expect(pool.get('wrapped')?.tools.length).toBeGreaterThan(0);
    await pool.close();
  });
});

describe('launcher classes: variables that make the child load code', () => {
  const preload = path.join(dir, 'preload.cjs');
  const script = path.join(dir, 'exits.cjs');
  writeFileSync(preload, `require("fs").writeFileSync(${JSON.stringify(marker('node-options'))}, "")`);
  writeFileSync(script, '');
  const entry = { command: process.execPath, args: [script], env: { NODE_OPTIONS: `--require ${preload}` } };

  it('refuses NODE_OPTIONS in env and LD_PRELOAD set through env, naming the field and allowEnv', async () => {
    const inEnv = await loadConfig(writeConfigFile('node-options', { x: entry }), env).then(() => '', (e: Error) => e.message);
    expect(inEnv).toContain('node-options.json: mcpServers.x.env.NODE_OPTIONS: setting NODE_OPTIONS makes the child load or run code it was not told to');
    expect(inEnv).toContain('"allowEnv": ["NODE_OPTIONS"]');
    const viaEnv = await loadConfig(writeConfigFile('ld-preload', { x: { command: 'env', args: ['LD_PRELOAD=/tmp/x.so', 'node', 's.js'] } }), env).then(() => '', (e: Error) => e.message);
    expect(viaEnv).toContain('ld-preload.json: mcpServers.x.args: "env" sets LD_PRELOAD, which makes the child load or run code');
    expect(existsSync(marker('node-options'))).toBe(false);
  });

  it('really loads the code once allowEnv lists the variable (the control)', async () => {
    const config = await loadConfig(writeConfigFile('node-options-allowed', { 'node-options': { ...entry, allowEnv: ['NODE_OPTIONS'] } }), env);
    expect(await launch(config, 'node-options')).toBe(true);
  });
});
