// What the two tools do, independent of transport: search the current catalog, execute a program,
// and describe the tool surface (auto mode inlines the typed API when it fits the budget).
// One instance serves every session; the composition root swaps in a new Catalog on changes.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { countTokens, UsageError, type Logger } from '../common/index.js';
import { renderDeclarations, renderSignature, type Catalog, type SignatureDetail } from '../catalog/index.js';
import { executeProgram, type ExecuteResult, type RuntimeOptions } from '../runtime/index.js';
import { createToolDefinitions } from './tool-definitions.js';

export interface GatewayServiceOptions {
  readonly runtime: RuntimeOptions;
  /** Inline the typed API in execute's description when it is at most this many tokens (0 = never). */
  readonly inlineApiMaxTokens: number;
  readonly logger: Logger;
}

export interface SearchRequest {
  readonly query: string;
  readonly limit?: number | undefined;
  readonly detail?: SignatureDetail | undefined;
  readonly server?: string | undefined;
}

export interface Footprint {
  readonly servers: number;
  readonly tools: number;
  /** Tokens of every upstream tool definition as a direct-calling client sends them each turn. */
  readonly directTokens: number;
  /** Tokens of cemcp's two tool definitions as sent each turn (with the inlined API in auto mode). */
  readonly cemcpTokens: number;
  /** Tokens of the two definitions without any inlined API: the floor, whatever the catalog. */
  readonly cemcpBaseTokens: number;
  readonly inlineApi: boolean;
}

const FULL_BY_DEFAULT = 3;

export class GatewayService {
  private readonly options: GatewayServiceOptions;
  private currentCatalog: Catalog;
  private definitions: Tool[];
  private inlined = false;
  private readonly listeners = new Set<() => void>();

  constructor(catalog: Catalog, options: GatewayServiceOptions) {
    this.options = options;
    this.currentCatalog = catalog;
    this.definitions = this.buildDefinitions();
  }

  get catalog(): Catalog {
    return this.currentCatalog;
  }

  /** Replaces the catalog; tells listeners when the tool definitions themselves changed. */
  setCatalog(catalog: Catalog): void {
    this.currentCatalog = catalog;
    const before = JSON.stringify(this.definitions);
    this.definitions = this.buildDefinitions();
    if (JSON.stringify(this.definitions) !== before) this.listeners.forEach((listener) => listener());
  }

  onDefinitionsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  toolDefinitions(): Tool[] {
    return this.definitions;
  }

  search(request: SearchRequest): string {
    const catalog = this.currentCatalog;
    if (request.server && !catalog.servers().some((s) => s === request.server || catalog.operations.some((op) => op.server === s && op.namespace === request.server))) {
      throw new UsageError('USAGE', `search: server "${request.server}" is not connected; servers: ${catalog.servers().join(', ') || '(none)'}`);
    }
    const hits = catalog.search(request.query, { ...(request.limit ? { limit: request.limit } : {}), ...(request.server ? { server: request.server } : {}) });
    if (hits.length === 0) {
      return `No operation matches "${request.query}". ${catalog.operations.length} operations on: ${catalog.servers().join(', ') || '(no servers)'}.`;
    }
    const blocks = hits.map((hit, i) => renderSignature(hit.operation, request.detail ?? (i < FULL_BY_DEFAULT ? 'full' : 'summary')));
    const separator = blocks.some((b) => b.includes('\n')) ? '\n\n' : '\n';
    return blocks.join(separator);
  }

  execute(code: string, signal?: AbortSignal): Promise<ExecuteResult> {
    return executeProgram(code, this.currentCatalog, this.options.runtime, signal);
  }

  footprint(): Footprint {
    const operations = this.currentCatalog.operations;
    const direct = operations.map((op) => ({
      name: op.toolName,
      description: op.description,
      inputSchema: op.inputSchema,
      ...(op.outputSchema ? { outputSchema: op.outputSchema } : {}),
      ...(op.annotations ? { annotations: op.annotations } : {}),
    }));
    return {
      servers: this.currentCatalog.servers().length,
      tools: operations.length,
      directTokens: direct.length ? countTokens(JSON.stringify(direct)) : 0,
      cemcpTokens: countTokens(JSON.stringify(this.definitions)),
      cemcpBaseTokens: countTokens(JSON.stringify(createToolDefinitions())),
      inlineApi: this.inlined,
    };
  }

  private buildDefinitions(): Tool[] {
    const max = this.options.inlineApiMaxTokens;
    const api = max > 0 && this.currentCatalog.operations.length > 0 ? renderDeclarations(this.currentCatalog.operations) : '';
    this.inlined = api !== '' && countTokens(api) <= max;
    return this.inlined ? createToolDefinitions(api) : createToolDefinitions();
  }
}
