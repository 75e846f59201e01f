#!/usr/bin/env node
// The command line: finds the command in the table (commands.ts), answers --version and --help,
// runs it, prints errors to stderr and maps error codes to exit codes (2 usage, 3 config, 1 other).
// Stdout belongs to the MCP stdio transport under `serve`.
import { readFileSync } from 'node:fs';
import { UsageError, describeError, isCemcpError, type Logger } from '../common/index.js';
import { closestMatch } from '../config/index.js';
import type { CliIo, Command } from './command.js';
import { COMMANDS } from './commands.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function usage(commands: readonly Command[]): string {
  return `cemcp ${VERSION}: a Code Execution MCP gateway (search + execute over your MCP servers)

Usage: cemcp <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(8)}${c.summary}`).join('\n')}

Options:
  -c, --config FILE   the config: an mcpServers file as Claude Desktop, Cursor or VS Code write it (default ./mcp.json)
      --verbose       also log upstream stderr and debug lines
  -h, --help          this help; cemcp <command> --help for a command's options
  -v, --version       the version

Quick start: cemcp init && cemcp exec 'return await memory.read_graph({})'
`;
}

const io: CliIo = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  logger: (verbose): Logger => ({
    log(severity, message) {
      if (severity === 'debug' && !verbose) return;
      process.stderr.write(`cemcp ${severity === 'info' ? '' : `${severity}: `}${message}\n`);
    },
  }),
  stdinIsTTY: process.stdin.isTTY === true,
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

async function main(argv: readonly string[]): Promise<void> {
  const at = commandIndex(argv);
  const name = at === -1 ? undefined : argv[at];
  const rest = at === -1 ? [...argv] : [...argv.slice(0, at), ...argv.slice(at + 1)];
  const beforeCode = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  const wantsHelp = beforeCode.includes('--help') || beforeCode.includes('-h');
  if (beforeCode.includes('--version') || beforeCode.includes('-v')) return void process.stdout.write(`${VERSION}\n`);
  if (name === 'help') return void process.stdout.write(helpOf(argv[at + 1]));
  if (name === undefined) {
    if (wantsHelp) return void process.stdout.write(usage(COMMANDS));
    throw new UsageError('USAGE', `no command given\n\n${usage(COMMANDS)}`);
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError('USAGE', `unknown command "${name}"${suggest(name)}. Commands: ${COMMANDS.map((c) => c.name).join(', ')}; cemcp --help for more`);
  if (wantsHelp) return void process.stdout.write(command.usage);
  await command.run(rest, io);
}

/** The first argument that is neither an option nor a --config value: `cemcp -c mcp.json serve` works too. */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (arg === '--config' || arg === '-c') i++;
    else if (!arg.startsWith('-')) return i;
  }
  return -1;
}

function helpOf(name: string | undefined): string {
  const command = COMMANDS.find((c) => c.name === name);
  return command ? command.usage : usage(COMMANDS);
}

function suggest(name: string): string {
  const close = closestMatch(name, COMMANDS.map((c) => c.name));
  return close ? ` (did you mean "${close}"?)` : '';
}

function exitCodeOf(error: unknown): number {
  if (!isCemcpError(error)) return 1;
  if (error.code === 'USAGE') return 2;
  if (error.code.startsWith('CONFIG_')) return 3;
  return 1;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = isCemcpError(error) ? describeError(error) : `unexpected error: ${describeError(error)}`;
  process.stderr.write(`cemcp: ${message}\n`);
  process.exitCode = exitCodeOf(error);
});
