// How the gateway starts a Python sandbox process: node on the compiled host entry, no shell, an
// empty environment, Node's permission model (read access to the build, pyodide and the snapshot
// file only; no child processes), and four pipes: stdin/stdout (control), stderr, fd 3 (data).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Duplex, Readable, Writable } from 'node:stream';
import type { RemovedClosures } from './python-closures.js';
import type { HostSettings } from './python-protocol.js';

export interface PythonLaunch {
  /** The compiled host entry (python-host.js). */
  readonly hostEntry: string;
  /** Folders the process may read: the whole build (the host imports sandbox/ and common/cut.js) and pyodide's package. */
  readonly readAllowed: readonly string[];
  readonly closures: RemovedClosures;
}

/** A sandbox process and its pipes. */
export interface SandboxChild {
  readonly process: ChildProcess;
  /** stdin: runs in. */
  readonly control: Writable;
  /** stdout: ready, warm and outcomes out. */
  readonly output: Readable;
  /** fd 3, a duplex socket: the worker's host calls and console lines out, replies in. */
  readonly data: Duplex;
  /** The last line the process wrote to stderr (its tail is kept to explain a crash). */
  lastStderrLine(): string | undefined;
}

/** Characters of a process's stderr kept. */
const STDERR_KEPT_CHARS = 2_000;

/** `message`, followed by what explains it (a fault the process reported, or its last stderr line). */
export function withDetail(message: string, detail: string | undefined): string {
  return detail ? `${message}: ${detail.slice(0, 300)}` : message;
}

export function launchSandboxProcess(launch: PythonLaunch, settings: HostSettings): SandboxChild {
  const readable = [...launch.readAllowed.map((dir) => `${dir}${path.sep}`), ...(settings.snapshotPath ? [settings.snapshotPath] : [])];
  const permissions = ['--experimental-permission', ...readable.map((entry) => `--allow-fs-read=${entry}`), '--allow-worker'];
  const args = [
    ...(launch.closures.keeps('permission-model') ? permissions : []),
    '--disable-warning=ExperimentalWarning', '--disable-warning=SecurityWarning', '--max-old-space-size=256',
    launch.hostEntry, JSON.stringify(settings),
  ];
  // No shell, no environment, only the four pipes: nothing of the gateway's world is inherited.
  const env = launch.closures.keeps('empty-env') ? {} : undefined; // undefined: the gateway's own (test only)
  const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], shell: false, windowsHide: true });
  const [control, output, stderr, data] = child.stdio as unknown as [Writable, Readable, Readable, Duplex];
  let tail = '';
  stderr.setEncoding('utf8');
  stderr.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_KEPT_CHARS);
  });
  return { process: child, control, output, data, lastStderrLine: () => tail.trim().split('\n').filter(Boolean).at(-1) };
}
