// Resolves the `openapi` sources of a parsed config: ${VAR} expansion of spec, baseUrl, auth values
// and headers (in the host), spec paths made absolute against the config's folder, base URLs checked.
// Imported by config/load.ts only; the expander is passed in so this file has no cycle with it.
import path from 'node:path';
import { ConfigError } from '../common/index.js';
import type { OpenApiAuth, OpenApiSourceConfig } from './openapi-schema.js';

export type Expand = (value: string, where: string) => string;

export function resolveOpenApiSources(
  sources: Readonly<Record<string, OpenApiSourceConfig>>,
  file: string,
  baseDir: string,
  mcpServerNames: readonly string[],
  expand: Expand,
): Record<string, OpenApiSourceConfig> {
  const out: Record<string, OpenApiSourceConfig> = {};
  for (const [name, source] of Object.entries(sources)) {
    const where = `${file}: openapi.${name}`;
    if (mcpServerNames.includes(name)) {
      throw new ConfigError('CONFIG_INVALID', `${where}: the name "${name}" is also an mcpServers entry; each upstream needs its own name`, { upstream: name });
    }
    if (source.disabled) continue;
    const spec = expand(source.spec, `${where}.spec`);
    const baseUrl = source.baseUrl === undefined ? undefined : expand(source.baseUrl, `${where}.baseUrl`);
    if (baseUrl !== undefined) checkHttpUrl(baseUrl, `${where}.baseUrl`);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(source.headers ?? {})) headers[key] = expand(value, `${where}.headers.${key}`);
    out[name] = {
      ...source,
      spec: isHttpUrl(spec) ? spec : path.resolve(baseDir, spec),
      ...(baseUrl === undefined ? {} : { baseUrl }),
      ...(source.auth ? { auth: expandAuth(source.auth, `${where}.auth`, expand) } : {}),
      ...(source.headers ? { headers } : {}),
    };
  }
  return out;
}

function expandAuth(auth: OpenApiAuth, where: string, expand: Expand): OpenApiAuth {
  switch (auth.type) {
    case 'bearer':
      return { ...auth, token: expand(auth.token, `${where}.token`) };
    case 'header':
    case 'query':
      return { ...auth, value: expand(auth.value, `${where}.value`) };
    case 'basic':
      return { ...auth, username: expand(auth.username, `${where}.username`), password: expand(auth.password, `${where}.password`) };
  }
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

function checkHttpUrl(value: string, where: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigError('CONFIG_INVALID', `${where}: expected an http(s) URL`, {});
  }
}
