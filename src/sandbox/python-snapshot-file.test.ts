// The snapshot file: made once by a sandbox process and then read from the cache; a torn or altered
// file is made again; a cache folder others could write is not used; a failed snapshot process is
// reported with its reason. A stand-in host entry writes a small snapshot (a real one takes seconds
// and is covered by every Python engine test).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RemovedClosures } from './python-closures.js';
import type { PythonLaunch } from './python-launch.js';
import { SNAPSHOT_HEADER_BYTES, type HostSettings } from './python-protocol.js';
import { SnapshotFile, snapshotKey } from './python-snapshot-file.js';

/** A host entry whose snapshot mode writes `bytes` (counting each snapshot it makes in `made.log`), or fails with `fault`. */
function standIn(options: { readonly fault?: string } = {}): { readonly launch: PythonLaunch; readonly made: () => number; readonly buildDir: string } {
  const root = tempDir('cemcp-snapshot-file-');
  const buildDir = path.join(root, 'sandbox');
  mkdirSync(buildDir);
  const log = path.join(root, 'made.log');
  writeFileSync(log, '');
  const entry = path.join(buildDir, 'python-host.js');
  writeFileSync(entry, options.fault
    ? `process.stdout.write(JSON.stringify({ type: 'fault', message: ${JSON.stringify(options.fault)} }) + '\\n'); process.exit(1);\n`
    : [
      `require('node:fs').appendFileSync(${JSON.stringify(log)}, 'x');`,
      "const bytes = Buffer.from('a stand-in snapshot of some bytes');",
      "new (require('node:net').Socket)({ fd: 3 }).end(bytes, () => { process.stdout.write(JSON.stringify({ type: 'snapshot', bytes: bytes.length }) + '\\n'); process.exit(0); });",
    ].join('\n'));
  // The stand-in writes its count: the permission model (which would forbid that) stays off here.
  const launch: PythonLaunch = { hostEntry: entry, readAllowed: [root], closures: new RemovedClosures(['permission-model']) };
  return { launch, made: () => readFileSync(log, 'utf8').length, buildDir };
}

const tempDir = (prefix: string): string => mkdtempSync(path.join(tmpdir(), prefix));
const PYODIDE_DIR = path.dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));

const SETTINGS: HostSettings = { mode: 'run', indexURL: '/nowhere/', graceMs: 0, processPerRun: false, maxArgumentBytes: 0, workerHeapMb: 64, workerStackMb: 4 };

describe('SnapshotFile', () => {
  it('makes the snapshot once, then every engine with the same key reads the cached file', async () => {
    const { launch, made } = standIn();
    const dir = path.join(tempDir('cemcp-snapshot-cache-'), 'cache');
    const first = await new SnapshotFile(dir, 'k1').path(launch, SETTINGS);
    const second = await new SnapshotFile(dir, 'k1').path(launch, SETTINGS);
    expect(second).toBe(first);
    expect(made()).toBe(1);
    const data = readFileSync(first);
    expect(data.subarray(SNAPSHOT_HEADER_BYTES).toString()).toBe('a stand-in snapshot of some bytes');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('makes a torn or altered file again', async () => {
    const { launch, made } = standIn();
    const dir = path.join(tempDir('cemcp-snapshot-cache-'), 'cache');
    const file = await new SnapshotFile(dir, 'k2').path(launch, SETTINGS);
    const data = readFileSync(file);
    writeFileSync(file, Buffer.concat([data.subarray(0, data.length - 1), Buffer.from('!')]));
    await new SnapshotFile(dir, 'k2').path(launch, SETTINGS);
    writeFileSync(file, data.subarray(0, 10));
    await new SnapshotFile(dir, 'k2').path(launch, SETTINGS);
    expect(made()).toBe(3);
    expect(readFileSync(file).subarray(SNAPSHOT_HEADER_BYTES).toString()).toBe('a stand-in snapshot of some bytes');
  });

  it('does not use a cache folder others may write: the snapshot goes to a private folder, removed at dispose', async () => {
    const { launch } = standIn();
    const dir = path.join(tempDir('cemcp-snapshot-cache-'), 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const snapshots = new SnapshotFile(dir, 'k3');
    const file = await snapshots.path(launch, SETTINGS);
    expect(path.dirname(file)).not.toBe(dir);
    expect(readdirSync(dir)).toEqual([]);
    snapshots.dispose();
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
  });

  it('reports why the snapshot process failed', async () => {
    const { launch } = standIn({ fault: 'pyodide is not installed here' });
    const dir = path.join(tempDir('cemcp-snapshot-cache-'), 'cache');
    await expect(new SnapshotFile(dir, 'k4').path(launch, SETTINGS)).rejects.toThrow(/exited \(code 1\) before its interpreter snapshot was made: pyodide is not installed here/);
  });

  it('keys a snapshot by the build, pyodide and the closures that change it', () => {
    const { buildDir } = standIn();
    const key = snapshotKey({ pyodideDir: PYODIDE_DIR, buildDir, closures: [] });
    expect(snapshotKey({ pyodideDir: PYODIDE_DIR, buildDir, closures: [] })).toBe(key);
    expect(snapshotKey({ pyodideDir: PYODIDE_DIR, buildDir, closures: ['jsglobals'] })).not.toBe(key);
    writeFileSync(path.join(buildDir, 'python-prelude.js'), '// changed');
    expect(snapshotKey({ pyodideDir: PYODIDE_DIR, buildDir, closures: [] })).not.toBe(key);
  });
});
