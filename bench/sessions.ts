// The two ways a scripted agent reaches tools, both over the real MCP protocol with the official
// SDK client: direct (one stdio client per upstream, every tool exposed as `server__tool`) and
// cemcp (one stdio client to `cemcp serve`). Imported by the bench runner; spawns child processes.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { toModelDefinition, type ModelToolDefinition } from '../src/server/index.js';
import { readRunAccounting, type RunAccounting } from './run-accounting.js';

export interface StdioCommand {
  readonly command: string;
  readonly args: readonly string[];
}

export interface ToolReply {
  /** The result as the model reads it: its text content (other content as JSON), joined. */
  readonly text: string;
  readonly isError: boolean;
}

export interface ToolSession {
  readonly kind: 'direct' | 'cemcp';
  /** Every tool definition the model is sent each turn. */
  readonly definitions: readonly ModelToolDefinition[];
  call(name: string, args: Readonly<Record<string, unknown>>): Promise<ToolReply>;
  close(): Promise<void>;
}

export interface CemcpSession extends ToolSession {
  readonly kind: 'cemcp';
  readonly client: Client;
  /** The runs this gateway recorded so far, from its audit folder (written before execute answers). */
  runs(): RunAccounting[];
  /** The gateway's process id (for its memory), while it runs. */
  readonly pid: number | null;
}

export { toModelDefinition };

export function resultText(result: CallToolResult): string {
  return (result.content ?? []).map((c) => (c.type === 'text' ? c.text : JSON.stringify(c))).join('\n');
}

async function connect(command: StdioCommand, stderr: 'ignore' | 'pipe' = 'ignore'): Promise<{ client: Client; transport: StdioClientTransport }> {
  const transport = new StdioClientTransport({ command: command.command, args: [...command.args], env: getDefaultEnvironment(), stderr });
  const client = new Client({ name: 'cemcp-bench', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

async function listAll(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

/** Direct: the agent's client talks to each upstream itself, as MCP hosts do today. */
export async function openDirectSession(servers: Readonly<Record<string, StdioCommand>>): Promise<ToolSession & { clients: Map<string, Client> }> {
  const clients = new Map<string, Client>();
  const definitions: ModelToolDefinition[] = [];
  try {
    for (const [server, command] of Object.entries(servers)) {
      const { client } = await connect(command);
      clients.set(server, client);
      for (const tool of await listAll(client)) definitions.push(toModelDefinition(tool, `${server}__${tool.name}`));
    }
  } catch (error) {
    await Promise.allSettled([...clients.values()].map((c) => c.close()));
    throw error;
  }
  return {
    kind: 'direct',
    clients,
    definitions,
    async call(name, args) {
      const [server, tool] = name.split('__', 2) as [string, string | undefined];
      const client = clients.get(server);
      if (!client || !tool) return { text: `unknown tool ${name}`, isError: true };
      const result = (await client.callTool({ name: tool, arguments: { ...args } })) as CallToolResult;
      return { text: resultText(result), isError: result.isError === true };
    },
    async close() {
      await Promise.allSettled([...clients.values()].map((c) => c.close()));
    },
  };
}

/** A config for `cemcp serve` and the audit folder it sets (its own, so its records are this session's). */
export interface CemcpConfig {
  readonly file: string;
  readonly auditDir: string;
}

/** cemcp: the agent's client talks to `cemcp serve` only, which talks to the upstreams. */
export async function openCemcpSession(cliPath: string, config: CemcpConfig): Promise<CemcpSession> {
  const { client, transport } = await connect({ command: process.execPath, args: [cliPath, 'serve', '--config', config.file] }, 'pipe');
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // The gateway answers before its upstreams connect; measure the definitions of the full catalog.
  for (const deadline = Date.now() + 60_000; !/\d+ of \d+ upstreams ready/.test(stderr) && Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const definitions = (await listAll(client)).map((t) => toModelDefinition(t));
  return {
    kind: 'cemcp',
    client,
    definitions,
    runs: () => readRunAccounting(config.auditDir),
    get pid() {
      return transport.pid;
    },
    async call(name, args) {
      const result = (await client.callTool({ name, arguments: { ...args } })) as CallToolResult;
      return { text: resultText(result), isError: result.isError === true };
    },
    async close() {
      await client.close();
    },
  };
}
