// One live upstream MCP server: connects with the official SDK client, lists its tools (following
// pagination), refreshes on tools/list_changed, calls tools with a timeout and cancellation, and
// restarts a stdio server that died, with exponential backoff. Imported through upstream/index.ts.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { UpstreamError, describeError, silentLogger, type Logger } from '../common/index.js';
import { isStdioServer, type ServerConfig, type UpstreamSettings } from '../config/index.js';
import { BoundedStdioTransport } from './stdio-transport.js';
import { classifyCallFailure } from './call-failure.js';
import { boundTool } from './tool-bounds.js';
import { isTimeout, withTimeout } from './connect-timeout.js';
import { createRemoteTransport, createStdioTransport, transportKindOf, type TransportKind } from './transport.js';

export type UpstreamState = 'idle' | 'connecting' | 'ready' | 'down' | 'closed';

export interface UpstreamEvents {
  /** The tool list changed (list_changed notification, or a restart brought a new list). */
  onToolsChanged?(upstream: UpstreamConnection): void;
}

export interface ConnectionOptions {
  readonly settings: UpstreamSettings;
  /** PATH and HOME from the gateway, the only variables a stdio upstream inherits. */
  readonly inheritedEnv?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  readonly events?: UpstreamEvents;
}

export interface CallOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

const STDERR_TAIL_LINES = 20;
const MAX_TOOL_PAGES = 100;
const CLIENT_INFO = { name: 'cemcp', version: '0.1.0' };

export class UpstreamConnection {
  readonly name: string;
  private currentKind: TransportKind;
  private readonly server: ServerConfig;
  private readonly settings: UpstreamSettings;
  private readonly inheritedEnv: Readonly<Record<string, string>>;
  private readonly logger: Logger;
  private readonly events: UpstreamEvents;
  private client: Client | undefined;
  private toolList: readonly Tool[] = [];
  private stderrTail: string[] = [];
  private restartDelayMs: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private currentState: UpstreamState = 'idle';
  private failure: string | undefined;
  private starting: Promise<void> | undefined;
  /** The client of a connect attempt in flight: close() must stop a server that never answers. */
  private pendingClient: Client | undefined;
  private connectingSince: number | undefined;
  private lastConnectMs: number | undefined;

  constructor(name: string, server: ServerConfig, options: ConnectionOptions) {
    this.name = name;
    this.server = server;
    this.settings = options.settings;
    this.inheritedEnv = options.inheritedEnv ?? {};
    this.logger = options.logger ?? silentLogger;
    this.events = options.events ?? {};
    this.currentKind = transportKindOf(server);
    this.restartDelayMs = this.settings.restartInitialDelayMs;
  }

  /** The transport in use (for a `url` without `type`, the one that answered). */
  get kind(): TransportKind {
    return this.currentKind;
  }

  get state(): UpstreamState {
    return this.currentState;
  }

  get tools(): readonly Tool[] {
    return this.toolList;
  }

  /** Why the upstream is not ready, when it is not. */
  get lastError(): string | undefined {
    return this.failure;
  }

  /** Milliseconds since the current connect attempt began, while connecting. */
  get connectingForMs(): number | undefined {
    return this.currentState === 'connecting' && this.connectingSince !== undefined ? performance.now() - this.connectingSince : undefined;
  }

  /** How long the last successful connect (spawn or dial, initialize, tools/list) took. */
  get connectMs(): number | undefined {
    return this.lastConnectMs;
  }

  get connectTimeoutMs(): number {
    return this.settings.connectTimeoutMs;
  }

  /**
   * Connects and lists tools. Rejects with UPSTREAM_UNAVAILABLE (or UPSTREAM_TIMEOUT, naming
   * `cemcp.upstreams.connectTimeoutMs`) naming the upstream and the cause. Called once.
   */
  start(): Promise<void> {
    this.starting ??= this.connect().catch((error: unknown) => {
      this.failure = describeError(error);
      if ((this.currentState as UpstreamState) === 'closed') throw error;
      this.currentState = 'down';
      if (this.kind === 'stdio') this.scheduleRestart();
      throw error;
    });
    return this.starting;
  }

  async callTool(toolName: string, args: Record<string, unknown>, options: CallOptions): Promise<CallToolResult> {
    const client = this.client;
    if (!client || this.currentState !== 'ready') {
      throw new UpstreamError('UPSTREAM_UNAVAILABLE', `upstream "${this.name}" is not available${this.failure ? `: ${this.failure}` : ''}`, { upstream: this.name });
    }
    try {
      const result = await client.callTool({ name: toolName, arguments: args }, undefined, {
        timeout: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return result as CallToolResult;
    } catch (error) {
      throw classifyCallFailure(error, { upstream: this.name, toolName, timeoutMs: options.timeoutMs });
    }
  }

  async close(): Promise<void> {
    this.currentState = 'closed';
    clearTimeout(this.restartTimer);
    const client = this.client;
    this.client = undefined;
    await Promise.all([client?.close().catch(() => undefined), this.pendingClient?.close().catch(() => undefined)]);
  }

  private async connect(): Promise<void> {
    this.currentState = 'connecting';
    this.connectingSince = performance.now();
    // A `url` without `type` is tried as Streamable HTTP first, then as legacy SSE.
    const kinds: TransportKind[] = isStdioServer(this.server) || this.server.type ? [this.kind] : ['http', 'sse'];
    let client: Client | undefined;
    for (const [i, kind] of kinds.entries()) {
      try {
        client = await this.connectWith(kind);
        this.currentKind = kind;
        break;
      } catch (error) {
        if (i === kinds.length - 1) throw error;
        this.logger.log('debug', `upstream "${this.name}": ${describeError(error)}; trying ${kinds[i + 1]}`);
      }
    }
    if (!client || (this.currentState as UpstreamState) === 'closed') {
      await client?.close().catch(() => undefined);
      return;
    }
    client.onclose = () => this.handleClose(client);
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.refreshTools(client));
    this.client = client;
    this.failure = undefined;
    this.lastConnectMs = performance.now() - (this.connectingSince ?? performance.now());
    this.currentState = 'ready';
  }

  private async connectWith(kind: TransportKind): Promise<Client> {
    this.stderrTail = [];
    // Made before the check: a remote transport's module loads on first use, and close() may come meanwhile.
    const transport = await this.createTransport(kind);
    if (this.currentState === 'closed') throw new UpstreamError('UPSTREAM_UNAVAILABLE', `upstream "${this.name}": closed while connecting`, { upstream: this.name });
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    this.pendingClient = client;
    const timeoutMs = this.settings.connectTimeoutMs;
    let phase: 'initialize' | 'tools/list' = 'initialize';
    try {
      await withTimeout(client.connect(transport, { timeout: timeoutMs }), timeoutMs);
      phase = 'tools/list';
      this.toolList = await listAllTools(client, timeoutMs);
      return client;
    } catch (error) {
      if ((this.currentState as UpstreamState) === 'closed') throw new UpstreamError('UPSTREAM_UNAVAILABLE', `upstream "${this.name}": closed while connecting`, { upstream: this.name }, { cause: error });
      // Read how the child ended before closing: close() kills it, and a hung server's
      // `killed by SIGTERM` would otherwise hide the real cause, the timeout.
      const exitedBefore = transport instanceof BoundedStdioTransport ? transport.exitDescription : undefined;
      await client.close().catch(() => undefined);
      this.logStderrTail();
      const head = `upstream "${this.name}" (${kind})`;
      if (!exitedBefore && isTimeout(error)) {
        throw new UpstreamError('UPSTREAM_TIMEOUT',
          `${head}: no answer to ${phase} within ${timeoutMs} ms; if it is only slow to start, raise cemcp.upstreams.connectTimeoutMs, `
          + 'otherwise run its command by hand to see why it hangs', { upstream: this.name, timeoutMs }, { cause: error });
      }
      const exited = exitedBefore ?? (transport instanceof BoundedStdioTransport ? transport.exitDescription : undefined);
      throw new UpstreamError('UPSTREAM_UNAVAILABLE', this.describeStartFailure(kind, error, exited), { upstream: this.name }, { cause: error });
    } finally {
      if (this.pendingClient === client) this.pendingClient = undefined;
    }
  }

  private async createTransport(kind: TransportKind): Promise<Transport> {
    const maxMessageBytes = this.settings.maxMessageBytes;
    if (isStdioServer(this.server)) {
      return createStdioTransport(this.server, this.inheritedEnv, maxMessageBytes, (line) => this.recordStderr(line));
    }
    return createRemoteTransport(this.server, kind === 'sse' ? 'sse' : 'http', maxMessageBytes);
  }

  private recordStderr(line: string): void {
    this.stderrTail.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    this.logger.log('debug', `upstream "${this.name}" stderr: ${line}`);
  }

  /**
   * An upstream's stderr can hold its own secrets (a crash dump of its env): it goes to the
   * gateway's log only, never into an error that reaches a program, the model or MCP logging.
   */
  private logStderrTail(): void {
    if (this.stderrTail.length) this.logger.log('info', `upstream "${this.name}" stderr ends with: ${this.stderrTail.slice(-3).join(' | ')}`);
  }

  private describeStartFailure(kind: TransportKind, error: unknown, exited: string | undefined): string {
    const head = `upstream "${this.name}" (${kind})`;
    const cause = describeError(error);
    const spawnCode = (error as { code?: unknown } | undefined)?.code;
    if (isStdioServer(this.server) && (spawnCode === 'ENOENT' || spawnCode === 'EACCES')) {
      return `${head}: cannot run "${this.server.command}": ${spawnCode === 'ENOENT' ? 'command not found (ENOENT)' : 'permission denied (EACCES)'}`;
    }
    if (exited || /connection closed/i.test(cause)) return `${head}: ${exited ?? 'exited'} during initialize (its stderr is in the gateway log)`;
    return `${head}: ${cause}`;
  }

  private handleClose(client: Client): void {
    if (client !== this.client || this.currentState === 'closed') return;
    this.client = undefined;
    this.currentState = 'down';
    this.failure = 'connection closed';
    this.logger.log('warning', `upstream "${this.name}" (${this.kind}): ${this.failure}`);
    this.logStderrTail();
    if (this.kind === 'stdio') this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.currentState === 'closed') return;
    const delayMs = this.restartDelayMs;
    this.restartDelayMs = Math.min(delayMs * 2, this.settings.restartMaxDelayMs);
    this.restartTimer = setTimeout(() => {
      this.connect().then(
        () => {
          this.restartDelayMs = this.settings.restartInitialDelayMs;
          this.logger.log('info', `upstream "${this.name}" restarted with ${this.toolList.length} tools`);
          this.events.onToolsChanged?.(this);
        },
        (error: unknown) => {
          this.failure = describeError(error);
          if ((this.currentState as UpstreamState) === 'closed') return;
          this.currentState = 'down';
          this.logger.log('warning', `${this.failure}; retrying in ${this.restartDelayMs} ms`);
          this.scheduleRestart();
        },
      );
    }, delayMs);
    this.restartTimer.unref();
  }

  private refreshTools(client: Client): void {
    listAllTools(client, this.settings.connectTimeoutMs).then(
      (tools) => {
        if (client !== this.client) return;
        this.toolList = tools;
        this.events.onToolsChanged?.(this);
      },
      (error: unknown) => this.logger.log('warning', `upstream "${this.name}": refreshing tools failed: ${describeError(error)}`),
    );
  }

}

async function listAllTools(client: Client, timeoutMs: number): Promise<Tool[]> {
  if (!client.getServerCapabilities()?.tools) return [];
  const tools: Tool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const result = await client.listTools(cursor ? { cursor } : {}, { timeout: timeoutMs });
    for (const tool of result.tools) tools.push(boundTool(tool));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools;
}
