// Reads, validates and resolves a config file: JSON syntax errors with line:column, schema errors
// with the JSON path, `${VAR}` expansion from the environment the caller passes (secrets stay in
// the host). Imported by cli/ and tests; never reads process.env itself.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../common/index.js';
import { checkLaunchPolicy } from './launch-policy.js';
import { resolveOpenApiSources } from './openapi-resolve.js';
import { ConfigSchema, isStdioServer, type Config, type ServerConfig } from './schema.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** A validated config with `${VAR}`s expanded and paths resolved against the file's folder. */
export interface LoadedConfig extends Config {
  readonly file: string;
  readonly baseDir: string;
  /** What a stdio upstream inherits from the gateway's environment: PATH and HOME, nothing else. */
  readonly inheritedEnv: Readonly<Record<string, string>>;
}

const INHERITED_VARIABLES = ['PATH', 'HOME'] as const;

export async function loadConfig(file: string, env: Environment): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (cause) {
    throw new ConfigError('CONFIG_NOT_FOUND', `${file}: cannot read config file`, { file }, { cause });
  }
  // Whoever can write the config can make the gateway launch any program: refuse shared-writable files.
  const { mode } = await stat(absolute);
  if (mode & 0o022) {
    throw new ConfigError('CONFIG_INVALID', `${file}: group or others can write this file; run chmod go-w on it`, { file });
  }
  return parseConfigText(text, absolute, env);
}

export function parseConfigText(text: string, file: string, env: Environment): LoadedConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError('CONFIG_INVALID', `${file}: not valid JSON${jsonErrorPosition(text, cause)}`, { file }, { cause });
  }
  const config = parseConfig(raw, file);
  const baseDir = path.dirname(file);
  // ${CEMCP_CONFIG_DIR} lets a config name files beside itself, wherever it is checked out.
  const variables: Environment = { ...env, CEMCP_CONFIG_DIR: baseDir };
  const mcpServers: Record<string, ServerConfig> = {};
  for (const [name, server] of Object.entries(config.mcpServers)) {
    mcpServers[name] = resolveServer(server, `${file}: mcpServers.${name}`, baseDir, variables, config.cemcp.launcher.allowedCommands);
  }
  const inheritedEnv: Record<string, string> = {};
  for (const name of INHERITED_VARIABLES) {
    const value = env[name];
    if (value !== undefined) inheritedEnv[name] = value;
  }
  const openapi = resolveOpenApiSources(config.openapi, file, baseDir, Object.keys(config.mcpServers),
    (value, where) => expandVariables(value, where, variables));
  const allow = config.cemcp.fetch.allow.map((rule, i) =>
    rule.headers ? { ...rule, headers: expandRecord(rule.headers, `${file}: cemcp.fetch.allow.${i}.headers`, env) } : rule);
  const cemcp = { ...config.cemcp, fetch: { ...config.cemcp.fetch, allow } };
  return { ...config, cemcp, mcpServers, openapi, file, baseDir, inheritedEnv };
}

export function parseConfig(raw: unknown, file: string): Config {
  refuseProtoKeys(raw, file);
  const result = ConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const where = issue.path.map(String).join('.') || '(root)';
    return `${file}: ${where}: ${issue.message}`;
  });
  throw new ConfigError('CONFIG_INVALID', lines.join('\n'), { file });
}

function resolveServer(server: ServerConfig, where: string, baseDir: string, env: Environment, allowedCommands: readonly string[] | undefined): ServerConfig {
  if (isStdioServer(server)) {
    const resolved = {
      ...server,
      command: expandVariables(server.command, `${where}.command`, env),
      args: server.args.map((arg, i) => expandVariables(arg, `${where}.args.${i}`, env)),
      env: server.env && expandRecord(server.env, `${where}.env`, env),
      cwd: path.resolve(baseDir, server.cwd ? expandVariables(server.cwd, `${where}.cwd`, env) : '.'),
    };
    checkLaunchPolicy(resolved, where, allowedCommands);
    return resolved;
  }
  return {
    ...server,
    url: expandVariables(server.url, `${where}.url`, env),
    headers: server.headers && expandRecord(server.headers, `${where}.headers`, env),
  };
}

function expandRecord(record: Record<string, string>, where: string, env: Environment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) out[key] = expandVariables(value, `${where}.${key}`, env);
  return out;
}

/** Expands `${VAR}` and `${VAR:-default}`; an unset variable without default is an error naming the field. */
export function expandVariables(value: string, where: string, env: Environment): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name: string, fallback?: string) => {
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    throw new ConfigError('CONFIG_INVALID', `${where}: environment variable ${name} is not set`, { variable: name });
  });
}

function jsonErrorPosition(text: string, cause: unknown): string {
  const match = /position (\d+)/.exec(cause instanceof Error ? cause.message : '');
  if (!match) return cause instanceof Error ? `: ${cause.message}` : '';
  const offset = Number(match[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

/** JSON.parse keeps a `__proto__` key, but the schema would silently drop that upstream: refuse it. */
function refuseProtoKeys(raw: unknown, file: string): void {
  for (const section of ['mcpServers', 'openapi']) {
    const entries = (raw as Record<string, unknown> | null)?.[section];
    if (entries && typeof entries === 'object' && Object.hasOwn(entries, '__proto__')) {
      throw new ConfigError('CONFIG_INVALID', `${file}: ${section}.__proto__: the name "__proto__" is not allowed; choose another key`, { file });
    }
  }
}
