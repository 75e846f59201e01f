// One OpenAPI source as an upstream: loads its spec, extracts the operations the filters keep,
// resolves the base URL, and calls operations over HTTP by tool name. Built once at start; holds
// the credentials (host only). Imported through upstream/index.ts by the composition root.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { UpstreamError } from '../../common/index.js';
import type { OpenApiSourceConfig } from '../../config/index.js';
import { extractOperations } from './extract.js';
import { callOperation, type HttpCallOptions, type HttpTarget } from './http-caller.js';
import { normalizeOpenApi30 } from './refs.js';
import { loadSpec } from './spec-loader.js';
import type { OpenApiDocument, OpenApiOperation, OpenApiTool } from './types.js';

export interface OpenApiSource {
  /** The config key: the namespace's source name. */
  readonly name: string;
  readonly tools: readonly OpenApiTool[];
  readonly operations: readonly OpenApiOperation[];
  /** sha256 of the spec text. */
  readonly specHash: string;
  callTool(toolName: string, args: Record<string, unknown>, options: HttpCallOptions): Promise<CallToolResult>;
}

export interface SpecInfo {
  readonly location: string;
  readonly hash: string;
}

/** Loads the spec the config names and builds the source; errors name `where` (`mcp.json: openapi.cf`). */
export async function createOpenApiSource(name: string, config: OpenApiSourceConfig, where = `openapi.${name}`): Promise<OpenApiSource> {
  const spec = await loadSpec(config.spec, where, { maxBytes: config.maxSpecBytes });
  return createOpenApiSourceFromDocument(name, config, spec.document, spec, where);
}

export function createOpenApiSourceFromDocument(
  name: string, config: OpenApiSourceConfig, document: OpenApiDocument, spec: SpecInfo, where = `openapi.${name}`,
): OpenApiSource {
  if (document.openapi.startsWith('3.0')) normalizeOpenApi30(document);
  const auth = config.auth;
  const operations = extractOperations(document, {
    include: config.include,
    exclude: config.exclude,
    injectedHeaders: [...Object.keys(config.headers ?? {}), ...(auth?.type === 'header' ? [auth.name] : [])],
    injectedQuery: auth?.type === 'query' ? [auth.name] : [],
  });
  const byName = new Map(operations.map((op) => [op.toolName, op]));
  const documentUrl = config.baseUrl ?? serverUrl(document);
  const label = `openapi "${name}"`;
  const targets = new Map<string, HttpTarget>();
  const targetFor = (op: OpenApiOperation): HttpTarget => {
    const raw = config.baseUrl ?? op.serverUrl ?? documentUrl;
    const baseUrl = raw === undefined ? undefined : absoluteUrl(raw, spec.location);
    if (!baseUrl) {
      throw new UpstreamError('UPSTREAM_UNAVAILABLE', `${where}: the spec names no absolute server URL for ${op.method} ${op.path}; set "baseUrl"`, { upstream: name });
    }
    let target = targets.get(baseUrl);
    if (!target) {
      target = { label, baseUrl, auth, headers: config.headers, maxResponseBytes: config.maxResponseBytes, timeoutMs: config.timeoutMs };
      targets.set(baseUrl, target);
    }
    return target;
  };
  if (operations.length > 0 && documentUrl === undefined && operations.every((op) => !op.serverUrl)) {
    throw new UpstreamError('OPENAPI_SPEC_INVALID', `${where}: the spec has no "servers" entry; set "baseUrl" in the config`, { upstream: name });
  }
  return {
    name,
    operations,
    specHash: spec.hash,
    tools: operations.map((op) => ({
      name: op.toolName,
      description: op.description,
      inputSchema: op.inputSchema,
      ...(op.outputSchema ? { outputSchema: op.outputSchema } : {}),
      tags: op.tags,
      method: op.method,
      path: op.path,
    })),
    async callTool(toolName, args, options) {
      const op = byName.get(toolName);
      if (!op) throw new UpstreamError('OPERATION_UNKNOWN', `${label}: no operation "${toolName}"`, { upstream: name });
      return callOperation(op, args, targetFor(op), options);
    },
  };
}

/** The document's first server URL with its variables at their defaults. */
function serverUrl(document: OpenApiDocument): string | undefined {
  const first = document.servers?.[0];
  if (!first || typeof first.url !== 'string') return undefined;
  return first.url.replace(/\{([^}]+)\}/g, (match, variable: string) => first.variables?.[variable]?.default ?? match);
}

/** An http(s) URL, resolving a relative server URL against a spec fetched from a URL. */
function absoluteUrl(raw: string, specLocation: string): string | undefined {
  try {
    const url = /^https?:\/\//i.test(specLocation) ? new URL(raw, specLocation) : new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
