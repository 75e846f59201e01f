// All configured upstreams: started in parallel, each failure reported while the rest serve.
// Starting never blocks the caller on the slowest upstream: each joins (listeners hear it) as it
// connects or fails. Imported through upstream/index.ts by the composition root and the catalog.
import { describeError, silentLogger, type Logger } from '../common/index.js';
import type { LoadedConfig } from '../config/index.js';
import { UpstreamConnection } from './connection.js';

export interface StartReport {
  readonly ready: readonly string[];
  readonly failed: readonly { readonly name: string; readonly error: string }[];
}

/** Where one upstream stands, for search answers and `cemcp doctor`. */
export interface UpstreamStatus {
  readonly name: string;
  readonly state: 'idle' | 'connecting' | 'ready' | 'failed';
  readonly error?: string;
  /** While connecting: how long so far, and the timeout it runs against. */
  readonly connectingForMs?: number;
  readonly connectTimeoutMs: number;
  /** When ready: how long the connect took. */
  readonly connectMs?: number;
  readonly toolCount: number;
}

export class UpstreamPool {
  readonly connections: ReadonlyMap<string, UpstreamConnection>;
  private readonly changeListeners = new Set<() => void>();
  /** One per started upstream: settles (never rejects) after listeners heard of the outcome. */
  private readonly settled = new Map<string, Promise<void>>();

  constructor(config: Pick<LoadedConfig, 'mcpServers' | 'cemcp' | 'inheritedEnv'>, logger: Logger = silentLogger) {
    const connections = new Map<string, UpstreamConnection>();
    for (const [name, server] of Object.entries(config.mcpServers)) {
      if (server.disabled) continue;
      connections.set(name, new UpstreamConnection(name, server, {
        settings: config.cemcp.upstreams,
        inheritedEnv: config.inheritedEnv,
        logger,
        events: { onToolsChanged: () => this.notify() },
      }));
    }
    this.connections = connections;
  }

  /**
   * Starts every upstream (or only `names`) at once. Returns when all of them settled and never
   * rejects: failures are in the report. Callers that must not wait need not await it: each
   * upstream that settles tells the onToolsChanged listeners.
   */
  async start(names?: Iterable<string>): Promise<StartReport> {
    const wanted = names ? new Set(names) : undefined;
    const entries = [...this.connections.values()].filter((c) => !wanted || wanted.has(c.name));
    for (const c of entries) {
      if (!this.settled.has(c.name)) this.settled.set(c.name, c.start().then(() => this.notify(), () => this.notify()));
    }
    await Promise.all(entries.map((c) => this.settled.get(c.name)));
    const results = await Promise.allSettled(entries.map((c) => c.start()));
    const ready: string[] = [];
    const failed: { name: string; error: string }[] = [];
    results.forEach((result, i) => {
      const name = entries[i]!.name;
      if (result.status === 'fulfilled') ready.push(name);
      else failed.push({ name, error: describeError(result.reason) });
    });
    return { ready, failed };
  }

  get(name: string): UpstreamConnection | undefined {
    return this.connections.get(name);
  }

  /** Resolves when each named upstream that was started has connected or failed (listeners told). */
  async whenSettled(names: Iterable<string>): Promise<void> {
    await Promise.all([...names].map((name) => this.settled.get(name)));
  }

  statuses(): UpstreamStatus[] {
    return [...this.connections.values()].map((c) => {
      const base = { name: c.name, connectTimeoutMs: c.connectTimeoutMs, toolCount: c.tools.length };
      switch (c.state) {
        case 'ready':
          return { ...base, state: 'ready', ...(c.connectMs !== undefined ? { connectMs: c.connectMs } : {}) };
        case 'connecting':
          // A restart after a crash is still a failure until it succeeds.
          if (c.lastError) return { ...base, state: 'failed', error: c.lastError };
          return { ...base, state: 'connecting', ...(c.connectingForMs !== undefined ? { connectingForMs: c.connectingForMs } : {}) };
        case 'down':
        case 'closed':
          return { ...base, state: 'failed', error: c.lastError ?? 'not connected' };
        default:
          return { ...base, state: 'idle' };
      }
    });
  }

  /** Calls `listener` whenever any upstream's tool list changes. Returns an unsubscribe function. */
  onToolsChanged(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private notify(): void {
    this.changeListeners.forEach((listener) => listener());
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.close()));
  }
}
