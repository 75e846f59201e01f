// `cemcp init [FILE]`: writes a starter config (one reference server started with npx) that only
// its owner can write, refuses to overwrite an existing file, and prints the next steps.
// Registered in commands.ts.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../common/index.js';
import { parseCommandArgs, type Command } from './command.js';

const STARTER_CONFIG = {
  mcpServers: {
    memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
  },
  cemcp: {
    limits: { cpuMs: 10_000, wallMs: 30_000, maxToolCalls: 200 },
    surface: { maxTokens: 4_000 },
  },
};

export const initCommand: Command = {
  name: 'init',
  summary: 'write a starter config (default ./mcp.json)',
  usage: `Usage: cemcp init [FILE] [--force]

Writes a starter config to FILE (default ./mcp.json) with one upstream, the reference memory
server, started with npx (fetched from npm on first use). Add your own servers under
"mcpServers" as Claude Desktop, Cursor or VS Code write them, e.g.
  "everything": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"] }
  "files": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/some/folder"] }
  "remote": { "url": "https://example.com/mcp", "headers": { "Authorization": "Bearer \${API_TOKEN}" } }
Every setting: docs/configuration.md.

Options:
      --force     overwrite FILE if it exists
  -h, --help      this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('init', argv, { force: { type: 'boolean' } });
    if (positionals.length > 1) throw new UsageError('USAGE', 'init: give at most one file name');
    const file = path.resolve(positionals[0] ?? 'mcp.json');
    try {
      await writeFile(file, `${JSON.stringify(STARTER_CONFIG, null, 2)}\n`, { flag: values.force ? 'w' : 'wx', mode: 0o600 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UsageError('USAGE', `init: ${file} exists; choose another name or add --force to overwrite it`);
      throw new UsageError('USAGE', `init: cannot write ${file} (${code ?? 'error'})`, {}, { cause: error });
    }
    const shown = path.relative(process.cwd(), file) || file;
    io.stdout(`Wrote ${file}. Next:
  cemcp exec --config ${shown} 'return await memory.read_graph({})'
  cemcp search --config ${shown} "create entities"
  claude mcp add cemcp -- cemcp serve --config ${file}
More clients (Claude Desktop, Cursor, VS Code): the README, "Register cemcp with your client". Settings: docs/configuration.md.
`);
  },
};
