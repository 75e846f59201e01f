// The interpreter snapshot as a file every sandbox process of an engine reads: made once by a
// sandbox process in mode `snapshot` (seconds of CPU), then kept in a private cache folder under a
// key of everything it depends on (node, pyodide, the build, the closures), so engines and gateways
// started later on this machine skip making it. The file starts with the SHA-256 of the rest,
// checked before use: a torn or altered file is made again.
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { launchSandboxProcess, withDetail, type PythonLaunch } from './python-launch.js';
import { SNAPSHOT_HEADER_BYTES, type HostSettings, type HostToGateway } from './python-protocol.js';

const PREFIX = 'python-snapshot-';
/** Files of other keys untouched this long are removed when a new one is written. */
const STALE_MS = 24 * 3_600_000;

/** The default cache folder: one per OS user, under the temp folder. */
export function defaultSnapshotDir(): string {
  return path.join(tmpdir(), `cemcp-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`);
}

/** The key of a snapshot: everything that changes what a snapshot process would make. */
export function snapshotKey(parts: { readonly pyodideDir: string; readonly buildDir: string; readonly closures: readonly string[] }): string {
  const hash = createHash('sha256').update(process.version).update('\0').update(parts.closures.slice().sort().join(','));
  hash.update('\0').update(readFileSync(path.join(parts.pyodideDir, 'package.json')));
  for (const file of readdirSync(parts.buildDir).filter((name) => name.endsWith('.js')).sort()) {
    hash.update('\0').update(file).update('\0').update(readFileSync(path.join(parts.buildDir, file)));
  }
  return hash.digest('hex').slice(0, 32);
}

export class SnapshotFile {
  /** Set when the cache folder could not be used: a private one of this engine's, removed at dispose. */
  private ownDir: string | undefined;

  constructor(
    private readonly dir: string,
    private readonly key: string,
  ) {}

  /** The path of a checked snapshot file, made now if none is cached. */
  async path(launch: PythonLaunch, settings: HostSettings, signal?: AbortSignal): Promise<string> {
    const dir = this.usableDir();
    const file = path.join(dir, `${PREFIX}${this.key}.bin`);
    if (isIntact(file)) {
      touch(file);
      return file;
    }
    const bytes = await makeSnapshot(launch, settings, signal);
    const digest = createHash('sha256').update(bytes).digest();
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temp, Buffer.concat([digest, bytes]), { mode: 0o600 });
      renameSync(temp, file); // whole or not at all, whoever else writes the same key
    } catch (error) {
      rmSync(temp, { force: true });
      throw new Error(`could not write the Python interpreter snapshot to ${dir}: ${error instanceof Error ? error.message : String(error)} (the sandbox needs a writable temp folder: set TMPDIR)`);
    }
    pruneStale(dir, file);
    return file;
  }

  dispose(): void {
    if (this.ownDir) rmSync(this.ownDir, { recursive: true, force: true });
    this.ownDir = undefined;
  }

  /** The cache folder if it is this user's alone (made with mode 700, not a link); else a private temp folder. */
  private usableDir(): string {
    if (this.ownDir) return this.ownDir;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const stat = lstatSync(this.dir);
      const mine = typeof process.getuid !== 'function' || stat.uid === process.getuid();
      if (stat.isDirectory() && mine && (stat.mode & 0o077) === 0) return this.dir;
    } catch {
      // not writable here: fall through to a private folder
    }
    try {
      this.ownDir = mkdtempSync(path.join(tmpdir(), 'cemcp-snapshot-'));
    } catch (error) {
      throw new Error(`no folder for the Python interpreter snapshot: ${this.dir} is not this user's alone and ${tmpdir()} refused a private one (${error instanceof Error ? error.message : String(error)}); set TMPDIR to a writable folder`);
    }
    return this.ownDir;
  }
}

function isIntact(file: string): boolean {
  try {
    const data = readFileSync(file);
    if (data.length <= SNAPSHOT_HEADER_BYTES) return false;
    const digest = createHash('sha256').update(data.subarray(SNAPSHOT_HEADER_BYTES)).digest();
    return digest.equals(data.subarray(0, SNAPSHOT_HEADER_BYTES));
  } catch {
    return false;
  }
}

function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // only the pruning of others reads this
  }
}

function pruneStale(dir: string, keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (!name.startsWith(PREFIX) || file === keep) continue;
    try {
      if (now - statSync(file).mtimeMs > STALE_MS) unlinkSync(file);
    } catch {
      // another engine removed it first
    }
  }
}

/** Runs a sandbox process in mode `snapshot` and collects what it writes to the data channel. */
function makeSnapshot(launch: PythonLaunch, settings: HostSettings, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('the Python engine was closed'));
    const child = launchSandboxProcess(launch, { ...settings, mode: 'snapshot' });
    const onAbort = () => child.process.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    const chunks: Buffer[] = [];
    let announced: number | undefined;
    let fault: string | undefined;
    child.data.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.data.on('error', () => undefined);
    createInterface({ input: child.output, crlfDelay: Infinity }).on('line', (line) => {
      try {
        const message = JSON.parse(line) as HostToGateway;
        if (message.type === 'snapshot') announced = message.bytes;
        else if (message.type === 'fault') fault = message.message;
      } catch {
        // not a message
      }
    });
    child.process.on('error', (error) => reject(new Error(`could not start the Python sandbox process: ${error.message}`)));
    child.process.on('close', (code, killedBy) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return reject(new Error('the Python engine was closed'));
      const bytes = Buffer.concat(chunks);
      if (code === 0 && announced !== undefined && announced === bytes.length && bytes.length > 0) return resolve(bytes);
      const how = killedBy ?? `code ${code}`;
      reject(new Error(withDetail(`the Python sandbox process exited (${how}) before its interpreter snapshot was made`, fault ?? child.lastStderrLine())));
    });
  });
}
