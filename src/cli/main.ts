#!/usr/bin/env node
// The command line: parse argv, load config, start the gateway, print errors to stderr and map
// error codes to exit codes. Stdout belongs to the MCP stdio transport under `serve`.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { UsageError, describeError, isCemcpError, TOKENIZER_NAME, type Logger } from '../common/index.js';
import { loadConfig } from '../config/index.js';
import { renderDeclarations, type SignatureDetail } from '../catalog/index.js';
import { createMcpServer, referencedUpstreams, serveHttp, serveStdio } from '../server/index.js';
import { startGateway, type Gateway } from './start-gateway.js';
import { benchCommand } from './bench-command.js';
import { runAuditCommand } from './audit-command.js';
import { runDoctorCommand } from './doctor.js';
import { runRemoteCommand } from './remote-command.js';

const USAGE = `Usage: cemcp <command> [options]

Commands:
  serve  --config FILE [--http] [--port N] [--host H]   Serve search + execute over stdio (default) or HTTP at /mcp
  search --config FILE [--limit N] [--detail name|summary|full] [--server S] [--tag T] QUERY
  exec   --config FILE [--file PROGRAM.ts | CODE]       Run a program once (reads stdin when no code is given)
         search/exec --url http://127.0.0.1:8787/mcp    Ask a running \`cemcp serve --http\` instead (no upstream restarts)
  doctor --config FILE [--json]                         Connect every upstream; report failures with fixes, tokens, description lint
  types  --config FILE                                  Print the whole catalog as TypeScript declarations
  bench  [--out DIR]                                    Token and speed benchmarks; writes bench/results/ and prints the table
  audit  [list|show ID] --config FILE [--json] [filters] List or show audit records (cemcp audit --help)

Options:
  --config FILE   mcpServers config (Claude Desktop / Cursor format); default ./mcp.json
  --verbose       Also log upstream stderr and debug lines
  -h, --help      This help
`;

const stderr = (verbose: boolean): Logger => ({
  log(severity, message) {
    if (severity === 'debug' && !verbose) return;
    process.stderr.write(`cemcp ${severity === 'info' ? '' : `${severity}: `}${message}\n`);
  },
});

async function main(argv: string[]): Promise<void> {
  // `audit` reads the audit store only and has its own options (src/cli/audit-command.ts).
  if (argv[0] === 'audit') return runAuditCommand(argv.slice(1), process.env, (text) => process.stdout.write(text));
  if (argv[0] === 'doctor') return runDoctorCommand(argv.slice(1), process.env, (text) => process.stdout.write(text));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      http: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      limit: { type: 'string' },
      detail: { type: 'string' },
      server: { type: 'string' },
      tag: { type: 'string' },
      file: { type: 'string' },
      url: { type: 'string' },
      out: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return;
  }
  if (!['serve', 'search', 'exec', 'types', 'bench'].includes(command)) throw new UsageError('USAGE', `unknown command "${command}"\n\n${USAGE}`);
  if (command === 'bench') return benchCommand({ out: values.out });
  const code = command === 'exec' ? (values.file ? await readFile(values.file, 'utf8') : rest.length ? rest.join(' ') : await readStdin()) : '';
  const searchArgs = () => ({
    query: rest.join(' '),
    limit: values.limit ? parsePositiveInt(values.limit, '--limit') : undefined,
    detail: parseDetail(values.detail),
    server: values.server,
    tag: values.tag,
  });
  if (command === 'search' && !rest.length) throw new UsageError('USAGE', 'search: give a query, e.g. cemcp search --config mcp.json "list issues"');
  if (values.url && command !== 'search' && command !== 'exec') throw new UsageError('USAGE', `--url: only search and exec can use a running gateway, not ${command}`);
  if (values.url) return runRemoteCommand(values.url, command === 'exec' ? { tool: 'execute', args: { code } } : { tool: 'search', args: searchArgs() }, (text) => process.stdout.write(text));
  const logger = stderr(values.verbose ?? false);
  const config = await loadConfig(values.config ?? 'mcp.json', process.env);
  // exec starts only the upstreams its program names; every other command starts them all.
  const only = command === 'exec' ? referencedUpstreams(code, [...Object.keys(config.mcpServers), ...Object.keys(config.openapi)]) : undefined;
  const gateway = await startGateway(config, logger, only ? { only } : {});
  let serving = false;
  try {
    switch (command) {
      case 'serve':
        await serve(gateway, logger, values);
        serving = true;
        return;
      case 'search': {
        await gateway.ready;
        process.stdout.write(`${await gateway.service.search(searchArgs())}\n`);
        return;
      }
      case 'exec': {
        const session = gateway.service.openSession('cli');
        const result = await gateway.service.execute(code, undefined, session.context).finally(() => session.close());
        process.stdout.write(`${result.text}\n`);
        if (!result.ok) process.exitCode = 1;
        return;
      }
      case 'types':
        await gateway.ready;
        process.stdout.write(renderDeclarations(gateway.service.catalog.operations));
        return;
    }
  } finally {
    // A serve that failed to start must not linger with its upstream children and workers.
    if (!serving) await gateway.close();
  }
}

async function serve(gateway: Gateway, logger: Logger, values: { http?: boolean | undefined; port?: string | undefined; host?: string | undefined }): Promise<void> {
  const { service, broadcaster } = gateway;
  // Clients are served at once; this summary comes when the last upstream connected or failed.
  void gateway.ready.then((report) => {
    const f = service.footprint();
    const saved = f.directTokens ? ` (${(100 * (1 - f.cemcpTokens / f.directTokens)).toFixed(1)}% less)` : '';
    logger.log('info', `${report.ready.length} of ${report.ready.length + report.failed.length} upstreams ready, ${f.tools} tools`);
    const inline = f.inlineApi ? ` (typed API inlined in execute; ${f.cemcpBaseTokens} without it)` : '';
    logger.log('info', `tool definitions per turn: cemcp ${f.cemcpTokens} tokens${inline} vs direct ${f.directTokens} tokens${saved}; ${TOKENIZER_NAME}`);
  });

  let stop: () => Promise<void>;
  if (values.http) {
    const http = await serveHttp(() => createMcpServer(service, broadcaster), {
      host: values.host ?? '127.0.0.1',
      port: values.port ? parsePort(values.port) : 8787,
    }, logger);
    logger.log('info', `serving Streamable HTTP at ${http.url}`);
    stop = () => http.close();
  } else {
    const session = await serveStdio(createMcpServer(service, broadcaster));
    session.closed.then(() => shutdown('stdin closed'), () => undefined);
    stop = async () => undefined;
  }
  let stopping = false;
  const shutdown = (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.log('info', `shutting down (${why})`);
    Promise.allSettled([stop(), gateway.close()]).finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

function parsePositiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('USAGE', `${flag}: expected a positive whole number, got "${value}"`);
  return n;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError('USAGE', `--port: expected 0-65535, got "${value}"`);
  return n;
}

function parseDetail(value: string | undefined): SignatureDetail | undefined {
  if (value === undefined) return undefined;
  if (value === 'name' || value === 'summary' || value === 'full') return value;
  throw new UsageError('USAGE', `--detail: expected name, summary or full, got "${value}"`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function exitCodeOf(error: unknown): number {
  if (!isCemcpError(error)) return 1;
  if (error.code === 'USAGE') return 2;
  if (error.code.startsWith('CONFIG_')) return 3;
  return 1;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = isCemcpError(error) || (error as { code?: string })?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? describeError(error) : `unexpected error: ${describeError(error)}`;
  process.stderr.write(`cemcp: ${message}\n`);
  process.exitCode = exitCodeOf(error);
});
