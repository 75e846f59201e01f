// `cemcp doctor`: connects every upstream and loads every OpenAPI source of a config, and reports
// per server whether it connected (or why not, with the fix), its tools, start time, the token
// cost of its definitions and a lint of each tool description. Exit 0 when all connected, else 1.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeError, isCemcpError, silentLogger, type Logger } from '../common/index.js';
import { isStdioServer, loadConfig, parseConfigText, type Environment, type LoadedConfig } from '../config/index.js';
import { lintDescription } from '../catalog/index.js';
import { UpstreamPool, createOpenApiSource, type OpenApiTool } from '../upstream/index.js';
import { countTokens, TOKENIZER_NAME } from '../common/index.js';
import type { Command } from './command.js';
import { renderDoctorReport, suggestFix, type DoctorReport, type DoctorServer } from './doctor-report.js';

const DOCTOR_USAGE = `Usage: cemcp doctor [--config FILE] [--json] [--verbose]

Connects every upstream in the config (and loads every OpenAPI source), then reports per server:
connected or why not (with the fix), tool count, start time, tokens of its tool definitions
(o200k_base) and a lint of each tool description. Exit code 0 when all connected, 1 otherwise.
  --json      the report as JSON
  --verbose   also print upstream stderr lines (to stderr)
`;

interface ToolDefinition {
  readonly name: string;
  readonly description?: string | undefined;
  readonly inputSchema: object;
  readonly outputSchema?: object | undefined;
  readonly annotations?: object | undefined;
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'connect every upstream and report what is wrong, with fixes, tokens and a description lint',
  usage: DOCTOR_USAGE,
  run: (argv, io) => runDoctorCommand(argv, io.env, (text) => io.stdout(text)),
};

async function runDoctorCommand(argv: readonly string[], env: Environment, write: (text: string) => void, logger?: Logger): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string', short: 'c' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return write(DOCTOR_USAGE);
  const { config, refused } = await loadForDoctor(values.config ?? 'mcp.json', env);
  const verboseLogger: Logger = {
    log: (severity, message) => process.stderr.write(`cemcp ${severity === 'info' ? '' : `${severity}: `}${message}\n`),
  };
  const checked = await runDoctor(config, logger ?? (values.verbose ? verboseLogger : silentLogger));
  const report: DoctorReport = refused ? { ...checked, refused } : checked;
  write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctorReport(report));
  if (report.failed > 0 || refused) process.exitCode = 1;
}

/**
 * The config as `serve` loads it; when that refuses the file for a problem of one entry (a command
 * not on PATH), the same file parsed without the whole-file checks, so every server is still
 * diagnosed, and the refusal is reported. Schema errors and unset variables still end the command.
 */
async function loadForDoctor(file: string, env: Environment): Promise<{ config: LoadedConfig; refused?: string }> {
  try {
    return { config: await loadConfig(file, env) };
  } catch (error) {
    if (!isCemcpError(error) || error.code !== 'CONFIG_INVALID') throw error;
    const absolute = path.resolve(file);
    const config = parseConfigText(await readFile(absolute, 'utf8'), absolute, env);
    return { config, refused: error.message };
  }
}

/** Connects everything the config names, at once, and closes it all again. */
async function runDoctor(config: LoadedConfig, logger: Logger = silentLogger): Promise<DoctorReport> {
  const pool = new UpstreamPool(config, logger);
  const began = performance.now();
  try {
    const mcp = [...pool.connections.values()].map(async (connection): Promise<DoctorServer> => {
      const server = config.mcpServers[connection.name]!;
      const kind = connection.kind;
      try {
        await connection.start();
        return describeServer(connection.name, kind, performance.now() - began, connection.tools);
      } catch (error) {
        return failedServer(connection.name, kind, performance.now() - began, error, suggestFix({ name: connection.name, server, error, where: `mcpServers.${connection.name}` }));
      }
    });
    const apis = Object.entries(config.openapi).filter(([, c]) => !c.disabled).map(async ([name, api]): Promise<DoctorServer> => {
      const started = performance.now();
      try {
        const source = await createOpenApiSource(name, api, `${config.file}: openapi.${name}`);
        return describeServer(name, 'openapi', performance.now() - started, source.tools.map(openApiDefinition));
      } catch (error) {
        return failedServer(name, 'openapi', performance.now() - started, error, suggestFix({ name, error, where: `openapi.${name}` }));
      }
    });
    const servers = await Promise.all([...mcp, ...apis]);
    const connected = servers.filter((s) => s.ok);
    return {
      config: config.file,
      tokenizer: TOKENIZER_NAME,
      servers,
      connected: connected.length,
      failed: servers.length - connected.length,
      tools: connected.reduce((n, s) => n + s.tools, 0),
      definitionTokens: connected.reduce((n, s) => n + s.definitionTokens, 0),
      excessTokens: connected.reduce((n, s) => n + s.excessTokens, 0),
      disabled: [...Object.entries(config.mcpServers), ...Object.entries(config.openapi)].filter(([, c]) => c.disabled).map(([name]) => name),
      stdioServers: Object.values(config.mcpServers).filter((s) => !s.disabled && isStdioServer(s)).length,
    };
  } finally {
    await pool.close();
  }
}

function describeServer(name: string, kind: string, startMs: number, tools: readonly ToolDefinition[]): DoctorServer {
  const definitions = tools.map((t) => ({
    name: t.name,
    ...(t.description ? { description: t.description } : {}),
    inputSchema: t.inputSchema,
    ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
    ...(t.annotations ? { annotations: t.annotations } : {}),
  }));
  const lint = tools.map((t) => lintDescription(t));
  return {
    name,
    kind,
    ok: true,
    startMs: Math.round(startMs),
    tools: tools.length,
    definitionTokens: definitions.length ? countTokens(JSON.stringify(definitions)) : 0,
    excessTokens: lint.reduce((n, l) => n + l.excessTokens, 0),
    lint,
  };
}

function failedServer(name: string, kind: string, startMs: number, error: unknown, fix: string): DoctorServer {
  return {
    name,
    kind,
    ok: false,
    startMs: Math.round(startMs),
    error: describeError(error),
    ...(isCemcpError(error) ? { errorCode: error.code } : {}),
    fix,
    tools: 0,
    definitionTokens: 0,
    excessTokens: 0,
    lint: [],
  };
}

function openApiDefinition(tool: OpenApiTool): ToolDefinition {
  return { name: tool.name, description: tool.description, inputSchema: tool.inputSchema, ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}) };
}
