// Installs the packed tarball (`npm pack`) into a temporary global prefix, as a user would, and
// runs it from outside the repository against a config in another folder. Dependencies come from
// the npm cache or registry. Checks what the tarball ships, too.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, serverEntry, tempDir } from './harness.js';

const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
let work: string;
let tarball: string;
let bin: string;

beforeAll(() => {
  work = tempDir('cemcp-install-');
  // dist/ is built by `npm test` (and by prepare); --ignore-scripts packs it without rebuilding.
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, env: npmEnv, stdio: 'pipe' });
  const name = readdirSync(work).find((f) => /^cemcp-.*\.tgz$/.test(f));
  if (!name) throw new Error(`npm pack wrote no tarball in ${work}`);
  tarball = path.join(work, name);
  const prefix = path.join(work, 'prefix');
  execFileSync('npm', ['i', '-g', '--prefix', prefix, tarball, '--no-audit', '--no-fund'], { cwd: work, env: npmEnv, stdio: 'pipe', timeout: 240_000 });
  bin = path.join(prefix, 'bin', 'cemcp');
}, 300_000);

describe('the packed package', () => {
  it('ships the built CLI, docs, examples and licence, and no sources, tests or source maps', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const wanted of ['package.json', 'README.md', 'LICENSE', 'SECURITY.md', 'dist/cli/main.js', 'dist/sandbox/worker-entry.js', 'examples/mcp.json', 'docs/configuration.md']) {
      expect(files, wanted).toContain(wanted);
    }
    expect(files.filter((f) => /^(src|test|\.ci|bench|dist-bench|scripts)\/|^dist\/bench\/|\.map$|\.ts$/.test(f))).toEqual([]);
  });

  it('installs into a fresh prefix and runs from outside the repository', () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const elsewhere = tempDir('cemcp-user-');
    const configDir = path.join(elsewhere, 'config');
    mkdirSync(configDir);
    const config = path.join(configDir, 'mcp.json');
    writeFileSync(config, JSON.stringify({
      mcpServers: {
        memory: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-memory')], env: { MEMORY_FILE_PATH: path.join(configDir, 'memory.jsonl') } },
      },
    }), { mode: 0o600 });
    const env = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: elsewhere };
    const cwd = path.join(elsewhere);

    expect(execFileSync(bin, ['--version'], { cwd, env, encoding: 'utf8' })).toBe(`${version}\n`);
    const program = 'await memory.create_entities({ entities: [{ name: "Ada", entityType: "person", observations: ["wrote the first program"] }] }); return (await memory.read_graph({})).entities.map((e) => e.name);';
    const run = spawnSync(bin, ['exec', '--config', config, program], { cwd, env, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['Ada']);

    // doctor from the installed package: memory connects, with its tools counted.
    const doctor = spawnSync(bin, ['doctor', '--config', config, '--json'], { cwd, env, encoding: 'utf8', timeout: 120_000 });
    expect(doctor.status).toBe(0);
    const report = JSON.parse(doctor.stdout) as { servers: { name: string; ok: boolean; tools: number }[] };
    expect(report.servers.map((s) => [s.name, s.ok, s.tools > 0])).toEqual([['memory', true, true]]);

    // The bench is the repository's bench/ package, not shipped: it says how to run it.
    const bench = spawnSync(bin, ['bench'], { cwd, env, encoding: 'utf8', timeout: 60_000 });
    expect(bench.status).toBe(2);
    expect(bench.stderr).toContain('bench: the benchmark is not part of the installed package');
    expect(bench.stderr).toContain('npm run bench');
  });
});
