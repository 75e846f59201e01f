// All configured upstreams: started in parallel, each failure reported while the rest serve.
// Imported through upstream/index.ts by the composition root and the catalog.
import { describeError, silentLogger, type Logger } from '../common/index.js';
import type { LoadedConfig } from '../config/index.js';
import { UpstreamConnection } from './connection.js';

export interface StartReport {
  readonly ready: readonly string[];
  readonly failed: readonly { readonly name: string; readonly error: string }[];
}

export class UpstreamPool {
  readonly connections: ReadonlyMap<string, UpstreamConnection>;
  private readonly changeListeners = new Set<() => void>();

  constructor(config: Pick<LoadedConfig, 'mcpServers' | 'cemcp' | 'inheritedEnv'>, logger: Logger = silentLogger) {
    const connections = new Map<string, UpstreamConnection>();
    for (const [name, server] of Object.entries(config.mcpServers)) {
      if (server.disabled) continue;
      connections.set(name, new UpstreamConnection(name, server, {
        settings: config.cemcp.upstreams,
        inheritedEnv: config.inheritedEnv,
        logger,
        events: { onToolsChanged: () => this.changeListeners.forEach((listener) => listener()) },
      }));
    }
    this.connections = connections;
  }

  /** Starts every upstream at once; never rejects: failures are in the report. */
  async start(): Promise<StartReport> {
    const entries = [...this.connections.values()];
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

  /** Calls `listener` whenever any upstream's tool list changes. Returns an unsubscribe function. */
  onToolsChanged(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.close()));
  }
}
