// Builds the HTTP request of one OpenAPI operation from a program's argument object: path, query,
// header and cookie parameters by the spec's style rules, the `body` field by its media type.
// Pure; imported by http-caller.ts. Credentials are not added here (see http-caller.ts).
import { UpstreamError } from '../../common/index.js';
import { isJson } from './extract.js';
import type { OpenApiOperation, ParameterBinding } from './types.js';

export interface BuiltRequest {
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string | FormData | URLSearchParams;
}

export function buildRequest(op: OpenApiOperation, args: Readonly<Record<string, unknown>>, baseUrl: string, where: string): BuiltRequest {
  let path = op.path;
  const query: [string, string][] = [];
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const p of op.parameters) {
    const value = args[p.arg];
    if (value === undefined || value === null) continue;
    switch (p.in) {
      case 'path': {
        const text = p.json ? JSON.stringify(value) : simple(value, p.explode === true);
        if (text === '' || text === '.' || text === '..') {
          throw new UpstreamError('ARGUMENT_INVALID', `${where}: path parameter "${p.arg}" must not be empty, "." or ".."`, { field: p.arg });
        }
        path = path.split(`{${p.name}}`).join(encodeURIComponent(text));
        break;
      }
      case 'query':
        query.push(...queryPairs(p, value));
        break;
      case 'header':
        headers[p.name] = p.json ? JSON.stringify(value) : simple(value, p.explode === true);
        break;
      case 'cookie':
        cookies.push(`${p.name}=${encodeURIComponent(p.json ? JSON.stringify(value) : simple(value, false))}`);
        break;
    }
  }
  if (cookies.length) headers['cookie'] = cookies.join('; ');
  const base = new URL(baseUrl);
  const url = new URL(`${base.pathname.replace(/\/$/, '')}${path}`, base.origin);
  for (const [k, v] of base.searchParams) url.searchParams.append(k, v);
  for (const [k, v] of query) url.searchParams.append(k, v);
  if (url.origin !== base.origin) {
    throw new UpstreamError('ARGUMENT_INVALID', `${where}: arguments would send the request to another origin`);
  }
  const bodyValue = args['body'];
  if (!op.body || bodyValue === undefined) return { url, headers };
  const mediaType = op.body.mediaType;
  const type = mediaType.toLowerCase();
  if (isJson(type)) {
    headers['content-type'] = type === '*/*' || type === 'application/*' ? 'application/json' : mediaType;
    return { url, headers, body: JSON.stringify(bodyValue) };
  }
  if (type === 'application/x-www-form-urlencoded' && isRecord(bodyValue)) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(bodyValue)) for (const item of Array.isArray(v) ? v : [v]) form.append(k, scalar(item));
    return { url, headers, body: form }; // fetch sets the content type
  }
  if (type === 'multipart/form-data' && isRecord(bodyValue)) {
    const form = new FormData();
    for (const [k, v] of Object.entries(bodyValue)) for (const item of Array.isArray(v) ? v : [v]) form.append(k, scalar(item));
    return { url, headers, body: form }; // fetch sets the content type with its boundary
  }
  headers['content-type'] = mediaType;
  return { url, headers, body: typeof bodyValue === 'string' ? bodyValue : JSON.stringify(bodyValue) };
}

/** `simple` style: arrays as `a,b`, objects as `k,v,k2,v2` (explode: `k=v,k2=v2`). */
function simple(value: unknown, explode: boolean): string {
  if (Array.isArray(value)) return value.map(scalar).join(',');
  if (isRecord(value)) {
    return Object.entries(value).map(([k, v]) => (explode ? `${k}=${scalar(v)}` : `${k},${scalar(v)}`)).join(',');
  }
  return scalar(value);
}

/** Query pairs by style: `form` (default; explode repeats keys), `spaceDelimited`, `pipeDelimited`, `deepObject`. */
function queryPairs(p: ParameterBinding, value: unknown): [string, string][] {
  if (p.json) return [[p.name, JSON.stringify(value)]];
  const style = p.style ?? 'form';
  const explode = p.explode ?? style === 'form';
  if (Array.isArray(value)) {
    if (explode) return value.map((v) => [p.name, scalar(v)]);
    const separator = style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ',';
    return [[p.name, value.map(scalar).join(separator)]];
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (style === 'deepObject') return entries.map(([k, v]) => [`${p.name}[${k}]`, scalar(v)]);
    if (explode) return entries.map(([k, v]) => [k, scalar(v)]);
    return [[p.name, entries.map(([k, v]) => `${k},${scalar(v)}`).join(',')]];
  }
  return [[p.name, scalar(value)]];
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
