// Footprint: tokens of the tool definitions a model is sent every turn, direct (every upstream tool)
// against cemcp (search + execute, with auto mode's inline typed API when it fits), for real tool
// lists fetched over MCP and for catalogs scaled up from them. Imported by the bench runner.
import { Catalog, renderDeclarations, type CatalogSource } from '../src/catalog/index.js';
import { countTokens, silentLogger } from '../src/common/index.js';
import type { LoadedConfig } from '../src/config/index.js';
import { createToolDefinitions } from '../src/server/index.js';
import { UpstreamPool } from '../src/upstream/index.js';
import { renderDefinitions, type ModelToolDefinition } from './conversation.js';
import { toModelDefinition } from './sessions.js';

export interface ToolSet {
  readonly server: string;
  readonly tools: CatalogSource['tools'];
}

export interface FootprintRow {
  readonly label: string;
  readonly servers: number;
  readonly tools: number;
  /** Every upstream tool as a model API receives it (name, description, input schema). */
  readonly directTokens: number;
  /** The raw tools/list JSON of every upstream (adds outputSchema, annotations). */
  readonly rawListTokens: number;
  /** search + execute without the inline API: the floor, whatever the catalog. */
  readonly cemcpBaseTokens: number;
  /** The whole catalog as TypeScript (`cemcp types`): what auto mode would inline. */
  readonly typedApiTokens: number;
  /** Whether auto mode inlines it (typedApiTokens within the configured budget). */
  readonly inlined: boolean;
  /** What cemcp actually sends each turn in auto mode. */
  readonly cemcpTokens: number;
}

/** Connects to each configured upstream over MCP and returns the tools each one lists. */
export async function fetchToolSets(config: LoadedConfig): Promise<ToolSet[]> {
  const pool = new UpstreamPool(config, silentLogger);
  try {
    const report = await pool.start();
    if (report.failed.length) throw new Error(`upstreams failed: ${report.failed.map((f) => `${f.name}: ${f.error}`).join('; ')}`);
    return [...pool.connections.values()].map((c) => ({ server: c.name, tools: [...c.tools] }));
  } finally {
    await pool.close();
  }
}

export function directDefinitions(sets: readonly ToolSet[]): ModelToolDefinition[] {
  return sets.flatMap((s) => s.tools.map((t) => toModelDefinition(t, `${s.server}__${t.name}`)));
}

/** cemcp's tool list for a catalog, decided as the gateway decides it (GatewayService's auto mode). */
export function cemcpDefinitions(sets: readonly ToolSet[], inlineApiMaxTokens: number): { definitions: ModelToolDefinition[]; typedApiTokens: number; inlined: boolean } {
  const catalog = Catalog.fromSources(sets);
  const api = catalog.operations.length ? renderDeclarations(catalog.operations) : '';
  const typedApiTokens = api ? countTokens(api) : 0;
  const inlined = inlineApiMaxTokens > 0 && api !== '' && typedApiTokens <= inlineApiMaxTokens;
  const definitions = createToolDefinitions(inlined ? api : undefined).map((t) => toModelDefinition(t));
  return { definitions, typedApiTokens, inlined };
}

export function measureFootprint(label: string, sets: readonly ToolSet[], inlineApiMaxTokens: number): FootprintRow {
  const cemcp = cemcpDefinitions(sets, inlineApiMaxTokens);
  const raw = sets.flatMap((s) => s.tools);
  return {
    label,
    servers: sets.length,
    tools: raw.length,
    directTokens: countTokens(renderDefinitions(directDefinitions(sets))),
    rawListTokens: countTokens(JSON.stringify(raw)),
    cemcpBaseTokens: countTokens(renderDefinitions(cemcpDefinitions(sets, 0).definitions)),
    typedApiTokens: cemcp.typedApiTokens,
    inlined: cemcp.inlined,
    cemcpTokens: countTokens(renderDefinitions(cemcp.definitions)),
  };
}

/**
 * N servers made by cycling through the real tool sets, renamed on each lap (`memory`, then
 * `memory_2`, ...), so a catalog of 20 servers is 20 realistic tool lists, not one list repeated.
 */
export function scaleToolSets(sets: readonly ToolSet[], servers: number): ToolSet[] {
  return Array.from({ length: servers }, (_, i) => {
    const base = sets[i % sets.length]!;
    const lap = Math.floor(i / sets.length);
    return { server: lap === 0 ? base.server : `${base.server}_${lap + 1}`, tools: base.tools };
  });
}
