// Reads, validates and resolves a config file: JSON or JSONC (syntax errors with line:column),
// Claude/Cursor `mcpServers` or VS Code `servers`, schema errors with the JSON path and a fix,
// `${VAR}` expansion from the environment the caller passes (secrets stay in the host), and
// stdio commands looked up on PATH. Imported by cli/ and tests; never reads process.env itself.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../common/index.js';
import { findCommand, searchDirs } from './command-lookup.js';
import { parseJsonc } from './jsonc.js';
import { checkLaunchPolicy } from './launch-policy.js';
import { resolveOpenApiSources } from './openapi-resolve.js';
import { resolveStoreConfig } from './store-config.js';
import { ConfigSchema, isStdioServer, type Config, type ServerConfig, type StdioServerConfig } from './schema.js';
import { normalizeServers } from './servers.js';

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
  const config = parseConfigText(text, absolute, env);
  await checkCommands(config);
  return config;
}

/** Every enabled stdio entry's command must exist, found as spawn will find it. */
async function checkCommands(config: LoadedConfig): Promise<void> {
  const missing: string[] = [];
  for (const [name, server] of Object.entries(config.mcpServers)) {
    if (!isStdioServer(server) || server.disabled) continue;
    const searchPath = server.env?.PATH ?? config.inheritedEnv.PATH;
    if (await findCommand(server.command, server.cwd ?? config.baseDir, searchPath)) continue;
    missing.push(`${config.file}: mcpServers.${name}.command: ${describeMissing(server, searchPath)}`);
  }
  if (missing.length) throw new ConfigError('CONFIG_INVALID', missing.join('\n'), { file: config.file });
}

function describeMissing(server: StdioServerConfig, searchPath: string | undefined): string {
  const fix = 'install it, give its absolute path, or set "disabled": true on this entry';
  if (server.command.includes('/') || server.command.includes(path.sep)) {
    return `command not found: "${server.command}" (no executable file at ${path.resolve(server.cwd ?? '.', server.command)}); ${fix}`;
  }
  const dirs = searchDirs(searchPath);
  return `command not found: "${server.command}" (searched PATH: ${dirs.length ? dirs.join(path.delimiter) : '(empty)'}); ${fix}`;
}

export function parseConfigText(text: string, file: string, env: Environment): LoadedConfig {
  const config = parseConfig(parseJsonc(text, file), file);
  const baseDir = path.dirname(file);
  // ${CEMCP_CONFIG_DIR} lets a config name files beside itself, wherever it is checked out;
  // ${workspaceFolder} is VS Code's: the folder holding .vscode/, else the config's own folder.
  const workspaceFolder = path.basename(baseDir) === '.vscode' ? path.dirname(baseDir) : baseDir;
  const variables: Environment = { ...env, CEMCP_CONFIG_DIR: baseDir, workspaceFolder };
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
  const store = resolveStoreConfig(config.cemcp.store, `${file}: cemcp.store`, (value, where) => expandVariables(value, where, env));
  const cemcp = { ...config.cemcp, fetch: { ...config.cemcp.fetch, allow }, store };
  return { ...config, cemcp, mcpServers, openapi, file, baseDir, inheritedEnv };
}

export function parseConfig(raw: unknown, file: string): Config {
  refuseProtoKeys(raw, file);
  const servers = normalizeServers(raw);
  // With a bad server entry, the rest is still checked so that one run shows every problem.
  const result = ConfigSchema.safeParse(servers.issues.length && isRecord(servers.raw) ? { ...servers.raw, mcpServers: {} } : servers.raw);
  if (result.success && !servers.issues.length) return result.data;
  const lines = [
    ...servers.issues.map((issue) => `${file}: ${issue}`),
    ...(result.success ? [] : result.error.issues.map((issue) => {
      const where = issue.path.map(String);
      if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) where.push(issue.keys[0] ?? '');
      return `${file}: ${where.join('.') || '(root)'}: ${issue.message}`;
    })),
  ];
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

/**
 * Expands `${VAR}`, `${VAR:-default}` and VS Code's `${env:VAR}`; an unset variable without default
 * is an error naming the field. VS Code's `${input:...}` prompts have no equivalent here: refused.
 */
export function expandVariables(value: string, where: string, env: Environment): string {
  const input = /\$\{input:([^}]*)\}/.exec(value);
  if (input) {
    throw new ConfigError('CONFIG_INVALID', `${where}: \${input:${input[1]}} is a VS Code prompt, which cemcp cannot show; put the value in an environment variable and write \${VARIABLE} instead`, { variable: input[1] });
  }
  return value.replace(/\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name: string, fallback?: string) => {
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    throw new ConfigError('CONFIG_INVALID', `${where}: environment variable ${name} is not set; set it where cemcp starts, or write \${${name}:-default}`, { variable: name });
  });
}

/** The parser keeps a `__proto__` key, but the schema would silently drop that upstream: refuse it. */
function refuseProtoKeys(raw: unknown, file: string): void {
  for (const section of ['mcpServers', 'servers', 'openapi']) {
    const entries = (raw as Record<string, unknown> | null)?.[section];
    if (entries && typeof entries === 'object' && Object.hasOwn(entries, '__proto__')) {
      throw new ConfigError('CONFIG_INVALID', `${file}: ${section}.__proto__: the name "__proto__" is not allowed; choose another key`, { file });
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
