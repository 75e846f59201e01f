// Turns an OpenAPI 3.x document into operations: one per method+path that passes the filters,
// named by operationId (or method and path words), with one input JSON Schema that mirrors the
// argument layout (README "OpenAPI sources") and the success response schema as the output.
// Pure; imported by upstream/openapi/source.ts and tests.
import type { OpenApiFilter } from '../../config/index.js';
import { isSelected } from './filters.js';
import { deref, isObject, localizeSchema } from './refs.js';
import type { BodyBinding, JsonObject, JsonSchema, OpenApiDocument, OpenApiOperation, ParameterBinding, ParameterLocation } from './types.js';

export interface ExtractOptions {
  readonly include?: OpenApiFilter | undefined;
  readonly exclude?: OpenApiFilter | undefined;
  /** Header names (any case) and query names the host injects: such parameters are not arguments. */
  readonly injectedHeaders?: readonly string[];
  readonly injectedQuery?: readonly string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const LOCATIONS: readonly ParameterLocation[] = ['path', 'query', 'header', 'cookie'];
// OpenAPI says these header parameters are ignored: the transport sets them.
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);
const MAX_DESCRIPTION_CHARS = 1_000;
const MAX_PARAM_DOC_CHARS = 300;
const JSON_SCHEMA_2020 = 'https://json-schema.org/draft/2020-12/schema';

export function extractOperations(doc: OpenApiDocument, options: ExtractOptions = {}): OpenApiOperation[] {
  const operations: OpenApiOperation[] = [];
  const taken = new Set<string>();
  const components = isObject(doc.components) ? doc.components : undefined;
  const is31 = doc.openapi.startsWith('3.1');
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = deref(doc, rawItem);
    if (!item) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const operationId = typeof op['operationId'] === 'string' && op['operationId'] ? op['operationId'] : undefined;
      const tags = Array.isArray(op['tags']) ? op['tags'].filter((t): t is string => typeof t === 'string') : [];
      if (!isSelected({ operationId, path, tags }, options.include, options.exclude)) continue;
      let toolName = operationId && !taken.has(operationId) ? operationId : methodPathName(method, path);
      for (let n = 2; taken.has(toolName); n++) toolName = `${methodPathName(method, path)}_${n}`;
      taken.add(toolName);
      operations.push(buildOperation(doc, { toolName, method, path, tags, item, op, components, is31, options }));
    }
  }
  return operations;
}

interface BuildInput {
  readonly toolName: string;
  readonly method: string;
  readonly path: string;
  readonly tags: string[];
  readonly item: JsonObject;
  readonly op: JsonObject;
  readonly components: JsonObject | undefined;
  readonly is31: boolean;
  readonly options: ExtractOptions;
}

function buildOperation(doc: OpenApiDocument, b: BuildInput): OpenApiOperation {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const parameters: ParameterBinding[] = [];
  const body = requestBody(doc, b.op);
  const taken = new Set<string>(body ? ['body'] : []);
  for (const p of mergedParameters(doc, b.item, b.op, b.options)) {
    const location = p['in'] as ParameterLocation;
    const name = p['name'] as string;
    let arg = taken.has(name) ? `${location}_${name}` : name;
    for (let n = 2; taken.has(arg); n++) arg = `${location}_${name}_${n}`;
    taken.add(arg);
    const content = isObject(p['content']) ? Object.values(p['content']).find(isObject) : undefined;
    const schema = localizeSchema(doc, (content ?? p)['schema'] ?? {});
    properties[arg] = withDoc(schema, p['description'] ?? (p['deprecated'] === true ? 'Deprecated.' : undefined));
    if (location === 'path' || p['required'] === true) required.push(arg);
    parameters.push({
      arg, name, in: location,
      ...(typeof p['style'] === 'string' ? { style: p['style'] } : {}),
      ...(typeof p['explode'] === 'boolean' ? { explode: p['explode'] } : {}),
      ...(content ? { json: true } : {}),
    });
  }
  if (body) {
    properties['body'] = withDoc(body.schema, body.description);
    if (body.binding.required) required.push('body');
  }
  const input: Record<string, unknown> = {
    ...(b.is31 ? { $schema: JSON_SCHEMA_2020 } : {}),
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
  const output = successSchema(doc, b.op);
  const serverUrl = firstServerUrl(b.op) ?? firstServerUrl(b.item);
  return {
    toolName: b.toolName,
    method: b.method.toUpperCase(),
    path: b.path,
    tags: b.tags,
    description: describe(b.op, b.item),
    inputSchema: withComponents(input, b.components),
    ...(output ? { outputSchema: withComponents({ ...(b.is31 ? { $schema: JSON_SCHEMA_2020 } : {}), ...output }, b.components) } : {}),
    parameters,
    ...(body ? { body: body.binding } : {}),
    ...(serverUrl ? { serverUrl } : {}),
  };
}

/** Path-level then operation-level parameters (the latter win by name+in), minus host-injected ones. */
function mergedParameters(doc: OpenApiDocument, item: JsonObject, op: JsonObject, options: ExtractOptions): JsonObject[] {
  const byKey = new Map<string, JsonObject>();
  const headers = new Set((options.injectedHeaders ?? []).map((h) => h.toLowerCase()));
  const query = new Set(options.injectedQuery ?? []);
  for (const list of [item['parameters'], op['parameters']]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const p = deref(doc, raw);
      if (!p || typeof p['name'] !== 'string' || !LOCATIONS.includes(p['in'] as ParameterLocation)) continue;
      if (p['in'] === 'header' && (IGNORED_HEADERS.has(p['name'].toLowerCase()) || headers.has(p['name'].toLowerCase()))) continue;
      if (p['in'] === 'query' && query.has(p['name'])) continue;
      byKey.set(`${p['in'] as string}:${p['name']}`, p);
    }
  }
  return [...byKey.values()].sort((a, b) => LOCATIONS.indexOf(a['in'] as ParameterLocation) - LOCATIONS.indexOf(b['in'] as ParameterLocation));
}

function requestBody(doc: OpenApiDocument, op: JsonObject): { binding: BodyBinding; schema: unknown; description: unknown } | undefined {
  const body = deref(doc, op['requestBody']);
  if (!body || !isObject(body['content'])) return undefined;
  const mediaType = pickMediaType(Object.keys(body['content']), true);
  if (!mediaType) return undefined;
  const media = deref(doc, body['content'][mediaType]);
  const schema = media?.['schema'] !== undefined ? localizeSchema(doc, media['schema']) : isJson(mediaType) ? {} : { type: 'string' };
  return { binding: { mediaType, required: body['required'] === true }, schema, description: body['description'] };
}

/** The schema of the first 2xx response (lowest code first, then `2XX`): what a call resolves to. */
function successSchema(doc: OpenApiDocument, op: JsonObject): Record<string, unknown> | undefined {
  if (!isObject(op['responses'])) return undefined;
  const codes = Object.keys(op['responses']);
  const code = codes.filter((c) => /^2\d\d$/.test(c)).sort()[0] ?? codes.find((c) => /^2xx$/i.test(c));
  if (!code) return undefined;
  const response = deref(doc, op['responses'][code]);
  if (!response) return undefined;
  const content = isObject(response['content']) ? response['content'] : {};
  const mediaType = pickMediaType(Object.keys(content), false);
  if (!mediaType) return code === '204' ? { type: 'null' } : undefined;
  const schema = deref(doc, content[mediaType])?.['schema'];
  if (!isJson(mediaType)) return { type: 'string' };
  const local = localizeSchema(doc, schema ?? {});
  return isObject(local) ? { ...local } : undefined;
}

function pickMediaType(types: readonly string[], forRequest: boolean): string | undefined {
  const lower = types.map((t) => t.toLowerCase());
  const index = [
    lower.indexOf('application/json'),
    lower.findIndex(isJson),
    forRequest ? lower.indexOf('application/x-www-form-urlencoded') : -1,
    forRequest ? lower.indexOf('multipart/form-data') : -1,
    lower.findIndex((t) => t.startsWith('text/')),
    types.length > 0 ? 0 : -1,
  ].find((i) => i >= 0);
  return index === undefined ? undefined : types[index];
}

export function isJson(mediaType: string): boolean {
  const t = mediaType.toLowerCase().split(';')[0]?.trim() ?? '';
  return t === 'application/json' || t.endsWith('+json') || t === '*/*' || t === 'application/*';
}

/** The schema, with the parameter's own description beside it (trimmed: descriptions cost tokens). */
function withDoc(schema: unknown, description: unknown): unknown {
  if (typeof description !== 'string' || !description.trim() || !isObject(schema)) return schema;
  return { ...schema, description: trim(description, MAX_PARAM_DOC_CHARS) };
}

function describe(op: JsonObject, item: JsonObject): string {
  const summary = str(op['summary']) || str(item['summary']);
  const text = str(op['description']) || str(item['description']);
  const full = summary && text && !text.startsWith(summary) ? `${summary.replace(/\.$/, '')}. ${text}` : summary || text;
  return trim(full, MAX_DESCRIPTION_CHARS) + (op['deprecated'] === true ? ' (deprecated)' : '');
}

function firstServerUrl(node: JsonObject): string | undefined {
  const servers = node['servers'];
  if (!Array.isArray(servers)) return undefined;
  const first: unknown = servers[0];
  return isObject(first) && typeof first['url'] === 'string' ? first['url'] : undefined;
}

/**
 * The operation schemas' refs point into `#/components/`, so each carries the document's one
 * components object (shared, never copied) as its root for ajv and the TS renderer; `toJSON`
 * leaves it out, so serializing an operation never repeats megabytes of components.
 */
function withComponents(schema: Record<string, unknown>, components: JsonObject | undefined): JsonSchema {
  if (!components) return schema;
  const out: Record<string, unknown> = { ...schema, components };
  Object.defineProperty(out, 'toJSON', { enumerable: false, value: () => ({ ...schema }) });
  return out;
}

/** `get /zones/{zone_id}/dns_records` -> `get_zones_zone_id_dns_records`. */
export function methodPathName(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return [method.toLowerCase(), ...words].join('_');
}

function str(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function trim(text: string, max: number): string {
  const t = text.trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}
