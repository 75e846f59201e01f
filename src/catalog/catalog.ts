// Builds the unified operation catalog from upstream tool lists: one Operation per tool, named as
// the sandbox exposes it, with collisions after sanitizing resolved by a numeric suffix.
// Immutable: a tool-list change builds a new Catalog. Imported through catalog/index.ts.
import { isDangerousName, isSandboxGlobal, toIdentifier } from '../common/index.js';
import type { JsonSchema, Operation, ToolAnnotations } from './operation.js';
import { createSearchIndex, type SearchHit, type SearchIndex, type SearchOptions } from './search-index.js';

/** The shape of an MCP tool that the catalog reads (a subset of the SDK's `Tool`). */
export interface ToolLike {
  readonly name: string;
  readonly description?: string | undefined;
  readonly inputSchema: object;
  readonly outputSchema?: object | undefined;
  readonly annotations?: ToolAnnotations | undefined;
  /** OpenAPI sources add these (absent on MCP tools). */
  readonly tags?: readonly string[] | undefined;
  readonly method?: string | undefined;
  readonly path?: string | undefined;
}

export interface CatalogSource {
  /** The upstream's config key. */
  readonly server: string;
  readonly tools: readonly ToolLike[];
}

export class Catalog {
  readonly operations: readonly Operation[];
  private readonly byCall = new Map<string, Operation>();
  private index: SearchIndex | undefined;
  /** A catalog of the same operations whose search index this one shares (see withResultTypes). */
  private indexSource: Catalog | undefined;

  constructor(operations: readonly Operation[]) {
    this.operations = operations;
    for (const op of operations) this.byCall.set(op.callName, op);
  }

  /** The catalog as its upstreams declare it: this one, or the one whose result types this one overlays. */
  get declared(): Catalog {
    return this.indexSource ?? this;
  }

  /**
   * This catalog with `operations` in its place: the same operations, in order, differing only in
   * their result types (learned shapes). The search index, which reads no result type and takes
   * a while to build, is shared; hits answer the new operations.
   */
  withResultTypes(operations: readonly Operation[]): Catalog {
    const next = new Catalog(operations);
    next.indexSource = this.indexSource ?? this;
    return next;
  }

  /** `hostNamespaces`: globals the gateway answers itself (e.g. `fetch`); an upstream of that name gets `_` appended. */
  static fromSources(sources: readonly CatalogSource[], hostNamespaces: readonly string[] = []): Catalog {
    return new Catalog(buildOperations(sources, hostNamespaces));
  }

  /** The operation a program calls as `namespace.name`, if any. */
  find(namespace: string, name: string): Operation | undefined {
    return this.byCall.get(`${namespace}.${name}`);
  }

  /** Namespace -> function names, as the sandbox installs them. */
  api(): Record<string, string[]> {
    // No prototype: a namespace called `toString` must not find Object.prototype.toString.
    const api = Object.create(null) as Record<string, string[]>;
    for (const op of this.operations) (api[op.namespace] ??= []).push(op.name);
    return api;
  }

  /** Upstream names present in the catalog (config keys). */
  servers(): string[] {
    return [...new Set(this.operations.map((op) => op.server))];
  }

  search(query: string | readonly string[], options: SearchOptions = {}): SearchHit[] {
    const source = this.indexSource;
    if (!source) return (this.index ??= createSearchIndex(this.operations)).search(query, options);
    return source.search(query, options).map((hit) => ({ ...hit, operation: this.byCall.get(hit.operation.callName) ?? hit.operation }));
  }
}

export function buildOperations(sources: readonly CatalogSource[], hostNamespaces: readonly string[] = []): Operation[] {
  const operations: Operation[] = [];
  const namespaces = new Set<string>();
  for (const source of sources) {
    const namespace = unique(namespaceFor(source.server, hostNamespaces), namespaces);
    const names = new Set<string>();
    for (const tool of source.tools) {
      const name = unique(safeIdentifier(tool.name), names);
      operations.push({
        server: source.server,
        namespace,
        name,
        toolName: tool.name,
        callName: `${namespace}.${name}`,
        description: (tool.description ?? '').trim(),
        inputSchema: tool.inputSchema as JsonSchema,
        ...(tool.outputSchema ? { outputSchema: tool.outputSchema as JsonSchema } : {}),
        ...(tool.annotations ? { annotations: tool.annotations } : {}),
        ...(tool.tags?.length ? { tags: tool.tags } : {}),
        ...(tool.method && tool.path ? { method: tool.method, path: tool.path } : {}),
      });
    }
  }
  return operations;
}

/** Globals every gateway answers itself (DESIGN.md "Inside the sandbox"); `fetch` joins them when egress is configured. */
export const GATEWAY_NAMESPACES: readonly string[] = ['state', 'skills', 'handles'];

/** The sandbox global of an upstream's config key, before collisions between upstreams get `_2`, `_3`. */
export function namespaceFor(server: string, hostNamespaces: readonly string[] = []): string {
  const id = safeIdentifier(server);
  return isSandboxGlobal(id) || isGatewayName(id, hostNamespaces) ? `${id}_` : id;
}

/** A name the gateway itself answers inside the sandbox: its own globals and the active host namespaces. */
function isGatewayName(id: string, hostNamespaces: readonly string[]): boolean {
  return GATEWAY_NAMESPACES.includes(id) || hostNamespaces.includes(id);
}

/** Load-time notes for config keys whose namespace a gateway name took: `state` is reached as `state_`. */
export function reservedNameNotes(servers: readonly string[], hostNamespaces: readonly string[] = []): string[] {
  return servers.flatMap((server) => {
    const id = safeIdentifier(server);
    if (!isGatewayName(id, hostNamespaces)) return [];
    return [`upstream "${server}": \`${id}\` is a name cemcp provides inside the sandbox (${[...GATEWAY_NAMESPACES, ...hostNamespaces].join(', ')}); programs reach this upstream as \`${id}_\`. Rename the config key to choose another name.`];
  });
}

/** An identifier that can never reach Object.prototype when used as a key (tool-name injection). */
function safeIdentifier(raw: string): string {
  const id = toIdentifier(raw);
  return isDangerousName(id) ? `${id}_` : id;
}

function unique(id: string, taken: Set<string>): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}_${n}`;
  taken.add(candidate);
  return candidate;
}
