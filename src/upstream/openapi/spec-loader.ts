// Loads an OpenAPI document from a file or an http(s) URL: bounded in size (before and after
// gunzip), JSON or YAML, OpenAPI 3.0/3.1 only (Swagger 2.0 refused with a clear error).
// Imported by upstream/openapi/source.ts and the benchmark; never throws anything but UpstreamError.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import type * as Yaml from 'yaml';
import { UpstreamError, describeError, readBoundedBody } from '../../common/index.js';
import type { OpenApiDocument } from './types.js';

export interface LoadedSpec {
  readonly document: OpenApiDocument;
  /** The absolute path or URL it came from (relative server URLs resolve against a URL). */
  readonly location: string;
  /** sha256 of the decompressed text, hex: a key for caches. */
  readonly hash: string;
  readonly bytes: number;
}

export interface SpecLoadOptions {
  readonly maxBytes: number;
  readonly timeoutMs?: number;
}

const DEFAULT_SPEC_TIMEOUT_MS = 30_000;

/** The YAML parser is loaded on the first YAML spec (~0.1 s at start-up otherwise); its build for Node is CommonJS. */
let yaml: typeof Yaml | undefined;
function parseYaml(text: string, options: Yaml.ParseOptions & Yaml.DocumentOptions & Yaml.SchemaOptions & Yaml.ToJSOptions): unknown {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yaml.parse(text, options);
}

/** Reads, decompresses, parses and checks a spec; `where` names it in errors (`mcp.json: openapi.cf`). */
export async function loadSpec(location: string, where: string, options: SpecLoadOptions): Promise<LoadedSpec> {
  const raw = /^https?:\/\//i.test(location)
    ? await readUrl(location, where, options)
    : await readPath(location, where, options.maxBytes);
  const text = decompress(raw, where, options.maxBytes).toString('utf8');
  const document = parseSpecText(text, `${where}: spec ${location}`);
  return { document, location, hash: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) };
}

/** Parses JSON or YAML text and checks that it is an OpenAPI 3.x document. */
export function parseSpecText(text: string, where: string): OpenApiDocument {
  let value: unknown;
  try {
    value = /^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 1_000 });
  } catch (cause) {
    throw new UpstreamError('OPENAPI_SPEC_INVALID', `${where}: not valid JSON or YAML: ${describeError(cause)}`, {}, { cause });
  }
  return checkDocument(value, where);
}

function checkDocument(value: unknown, where: string): OpenApiDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UpstreamError('OPENAPI_SPEC_INVALID', `${where}: expected an OpenAPI document (an object)`);
  }
  const doc = value as Record<string, unknown>;
  if (typeof doc['swagger'] === 'string') {
    throw new UpstreamError('OPENAPI_SPEC_INVALID',
      `${where}: Swagger ${doc['swagger']} is not supported; convert it to OpenAPI 3 first (e.g. npx swagger2openapi spec.json -o spec3.json)`,
      { version: doc['swagger'] });
  }
  const version = doc['openapi'];
  if (typeof version !== 'string' || !/^3\.[01]\./.test(`${version}.`)) {
    throw new UpstreamError('OPENAPI_SPEC_INVALID', `${where}: expected "openapi": "3.0.x" or "3.1.x", got ${JSON.stringify(version ?? null)}`);
  }
  if (doc['paths'] !== undefined && (typeof doc['paths'] !== 'object' || doc['paths'] === null)) {
    throw new UpstreamError('OPENAPI_SPEC_INVALID', `${where}: "paths" must be an object`);
  }
  return doc as OpenApiDocument;
}

async function readPath(file: string, where: string, maxBytes: number): Promise<Buffer> {
  try {
    const info = await stat(file);
    if (info.size > maxBytes) throw tooLarge(where, file, maxBytes);
    return await readFile(file);
  } catch (cause) {
    if (cause instanceof UpstreamError) throw cause;
    throw new UpstreamError('OPENAPI_SPEC_INVALID', `${where}: cannot read spec ${file}: ${describeError(cause)}`, {}, { cause });
  }
}

async function readUrl(url: string, where: string, options: SpecLoadOptions): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_SPEC_TIMEOUT_MS), headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' } });
  } catch (cause) {
    throw new UpstreamError('UPSTREAM_UNAVAILABLE', `${where}: cannot fetch spec ${url}: ${describeError(cause)}`, {}, { cause });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new UpstreamError('UPSTREAM_UNAVAILABLE', `${where}: fetching spec ${url} answered HTTP ${response.status}`, { status: response.status });
  }
  const body = await readBoundedBody(response.body, options.maxBytes);
  if (!body) throw tooLarge(where, url, options.maxBytes);
  return body;
}

function decompress(raw: Buffer, where: string, maxBytes: number): Buffer {
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw, { maxOutputLength: maxBytes });
  } catch (cause) {
    const message = (cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? `larger than ${maxBytes} bytes once decompressed` : `bad gzip data: ${describeError(cause)}`;
    throw new UpstreamError('OPENAPI_SPEC_INVALID', `${where}: spec ${message}`, {}, { cause });
  }
}

function tooLarge(where: string, location: string, maxBytes: number): UpstreamError {
  return new UpstreamError('OPENAPI_SPEC_INVALID', `${where}: spec ${location} is larger than maxSpecBytes (${maxBytes} bytes)`, { maxBytes });
}
