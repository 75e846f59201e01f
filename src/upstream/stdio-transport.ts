// A client Transport for a stdio upstream, spawned with child_process.spawn and no shell: the
// environment is exactly what the entry declares plus PATH and HOME, each message is bounded
// in bytes (a flood or a 100 MB line closes the connection instead of growing memory), and
// the exit code and stderr tail are kept to explain a death. Imported by upstream/connection.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { readBoundedLines } from '../common/index.js';

export interface StdioLaunch {
  readonly command: string;
  readonly args: readonly string[];
  /** The whole environment of the child. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string | undefined;
  /** Largest message (one line of stdout) accepted; beyond it the connection is closed. */
  readonly maxMessageBytes: number;
  /** Called with each line the child writes to stderr. */
  readonly onStderrLine?: (line: string) => void;
}

const KILL_GRACE_MS = 2_000;

export class BoundedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private readonly launch: StdioLaunch;
  private child: ChildProcess | undefined;
  private stderrRest = '';
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(launch: StdioLaunch) {
    this.launch = launch;
  }

  /** How the child ended, once it has: `exited 1`, `killed by SIGKILL`. */
  get exitDescription(): string | undefined {
    if (!this.exit) return undefined;
    return this.exit.signal ? `killed by ${this.exit.signal}` : `exited ${this.exit.code}`;
  }

  start(): Promise<void> {
    if (this.child) throw new Error('already started');
    return new Promise((resolve, reject) => {
      const child = spawn(this.launch.command, [...this.launch.args], {
        env: { ...this.launch.env },
        cwd: this.launch.cwd,
        shell: false,
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
      this.child = child;
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => resolve());
      child.once('close', (code, signal) => {
        this.exit = { code, signal };
        this.child = undefined;
        this.onclose?.();
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      if (child.stdout) readBoundedLines(child.stdout, () => this.launch.maxMessageBytes, (line) => {
        if (this.child) this.deliver(line);
      }, () => this.onOversized());
      child.stderr?.on('data', (chunk: Buffer) => this.receiveStderr(chunk));
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin) return reject(new Error('not connected'));
      if (stdin.write(`${JSON.stringify(message)}\n`)) resolve();
      else stdin.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.stdin?.end();
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      if (await settlesWithin(closed, KILL_GRACE_MS)) return;
      child.kill(signal);
    }
    await settlesWithin(closed, KILL_GRACE_MS);
  }

  private onOversized(): void {
    this.onerror?.(new Error(`upstream message over ${this.launch.maxMessageBytes} bytes; closing the connection`));
    void this.close();
  }

  private deliver(line: string): void {
    const text = line.replace(/\r$/, '');
    if (!text.trim()) return;
    let message: JSONRPCMessage;
    try {
      message = JSONRPCMessageSchema.parse(JSON.parse(text));
    } catch {
      this.onerror?.(new Error('upstream wrote a line that is not a JSON-RPC message'));
      return;
    }
    this.onmessage?.(message);
  }

  private receiveStderr(chunk: Buffer): void {
    const text = this.stderrRest + chunk.toString('utf8');
    const lines = text.split('\n');
    this.stderrRest = (lines.pop() ?? '').slice(-4_096);
    for (const line of lines) if (line.trim()) this.launch.onStderrLine?.(line);
  }
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
