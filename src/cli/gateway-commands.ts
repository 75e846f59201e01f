// `cemcp search`, `exec` and `types`: one-shot commands that load a config, start the gateway,
// answer once (text, or JSON with --json) and stop every upstream. Arguments are checked first,
// so a usage error exits 2 before any upstream is spawned. Registered in commands.ts.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../common/index.js';
import { loadConfig } from '../config/index.js';
import type { SignatureDetail, SignatureLanguage } from '../catalog/index.js';
import type { Gateway, StartGatewayOptions } from './start-gateway.js';
import { CONFIG_OPTIONS, parseCommandArgs, parsePositiveInt, type CliIo, type Command } from './command.js';

const COMMON = `  -c, --config FILE   the config (default ./mcp.json)
      --verbose       also log upstream stderr and debug lines
  -h, --help          this help`;

const URL_HELP = `      --url URL       ask a running \`cemcp serve --http\` (e.g. http://127.0.0.1:8787/mcp) instead of starting upstreams`;

/**
 * Starts the gateway for one answer. `only` picks the upstreams a program names (exec); otherwise
 * every upstream, and the command waits until each connected or failed.
 */
async function withGateway(configFile: string | undefined, verbose: boolean | undefined, io: CliIo, use: (gateway: Gateway) => Promise<void>,
  only?: (config: Awaited<ReturnType<typeof loadConfig>>) => readonly string[]): Promise<void> {
  const config = await loadConfig(configFile ?? 'mcp.json', io.env);
  // Loaded on use, so that --help, --version and usage errors answer at once.
  const { startGateway } = await import('./start-gateway.js');
  const options: StartGatewayOptions = only ? { only: only(config) } : {};
  const gateway = await startGateway(config, io.logger(verbose ?? false), options);
  try {
    if (!only) await gateway.ready;
    await use(gateway);
  } finally {
    await gateway.close();
  }
}

export const searchCommand: Command = {
  name: 'search',
  summary: 'find operations across every upstream, as the model\'s search tool does',
  usage: `Usage: cemcp search [options] QUERY

Searches the operations of every upstream, as the model's search tool does.

Options:
      --limit N       at most N hits (default 5)
      --detail D      name, summary or full (default: the best hit in full, one line for each other)
      --server S      only this upstream          --tag T   only operations with this tag (OpenAPI)
      --language L    signatures in typescript (default; javascript reads them too) or python
      --json          the hits as a JSON array: callName, server, tool, description, score, signature
${URL_HELP}
${COMMON}

Example: cemcp search --config examples/mcp.json "sum of two numbers"
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('search', argv, {
      ...CONFIG_OPTIONS, limit: { type: 'string' }, detail: { type: 'string' }, server: { type: 'string' }, tag: { type: 'string' }, json: { type: 'boolean' },
      url: { type: 'string' }, language: { type: 'string' },
    });
    const query = positionals.join(' ').trim();
    if (!query) throw new UsageError('USAGE', 'search: give a query, e.g. cemcp search --config mcp.json "list issues"');
    const limit = values.limit === undefined ? undefined : parsePositiveInt(values.limit, '--limit');
    const detail = parseDetail(values.detail);
    const language = parseLanguage(values.language);
    const request = { query, limit, detail, server: values.server, tag: values.tag, ...(language ? { language } : {}) };
    if (values.url) {
      if (values.json) throw new UsageError('USAGE', 'search: --json works without --url only');
      const { runRemoteCommand } = await import('./remote-command.js');
      return runRemoteCommand(values.url, { tool: 'search', args: request }, (text) => io.stdout(text));
    }
    await withGateway(values.config, values.verbose, io, async ({ service }) => {
      const text = await service.search(request); // also checks --server against the catalog
      if (!values.json) return io.stdout(`${text}\n`);
      const { renderSignatureIn } = await import('../catalog/index.js');
      const hits = service.catalog.search(query, { ...(limit ? { limit } : {}), ...(values.server ? { server: values.server } : {}), ...(values.tag ? { tag: values.tag } : {}) });
      io.stdout(`${JSON.stringify(hits.map(({ operation: op, score }) => ({
        callName: op.callName, server: op.server, tool: op.toolName, description: op.description, score,
        signature: renderSignatureIn(op, detail ?? 'full', language ?? 'typescript'),
      })), null, 2)}\n`);
    });
  },
};

export const execCommand: Command = {
  name: 'exec',
  summary: 'run one program as the model\'s execute tool does',
  usage: `Usage: cemcp exec [options] CODE
       cemcp exec [options] --file PROGRAM.ts
       echo 'return 1' | cemcp exec [options]

Runs one program as the model's execute tool does and prints what the model would see.
Exits 1 when the program fails.

Options:
      --file FILE     read the program from FILE
      --json          print { ok, text, errorCode, tokensIn, tokensOut, cut, calls, auditId, flags }
${URL_HELP}
${COMMON}

Only the upstreams the program names are started.

Example: cemcp exec --config examples/mcp.json 'return await everything.get_sum({ a: 2, b: 3 })'
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('exec', argv, { ...CONFIG_OPTIONS, file: { type: 'string' }, json: { type: 'boolean' }, url: { type: 'string' } });
    if (values.file && positionals.length) throw new UsageError('USAGE', 'exec: give the program either as CODE or with --file, not both');
    if (!values.file && !positionals.length && io.stdinIsTTY) {
      throw new UsageError('USAGE', `exec: no program given. Pass it as an argument (cemcp exec 'return 1'), with --file PROGRAM.ts, or on stdin (echo 'return 1' | cemcp exec)`);
    }
    const code = values.file ? await readProgram(values.file) : positionals.length ? positionals.join(' ') : await io.readStdin();
    if (!code.trim()) throw new UsageError('USAGE', 'exec: the program is empty');
    if (values.url) {
      if (values.json) throw new UsageError('USAGE', 'exec: --json works without --url only');
      const { runRemoteCommand } = await import('./remote-command.js');
      return runRemoteCommand(values.url, { tool: 'execute', args: { code } }, (text) => io.stdout(text));
    }
    const { referencedUpstreams } = await import('../server/index.js');
    const named = (config: Awaited<ReturnType<typeof loadConfig>>) => referencedUpstreams(code, [...Object.keys(config.mcpServers), ...Object.keys(config.openapi)]);
    await withGateway(values.config, values.verbose, io, async ({ service }) => {
      const session = service.openSession('cli');
      // A one-off run: its session ends with it, so it gets no session records (state, handles) to keep.
      const context = { ...session.context, records: { gateway: service.gatewayRecords } };
      const result = await service.execute(code, undefined, context).finally(() => session.close());
      if (values.json) {
        const { ok, text, errorCode, tokensIn, tokensOut, cut, calls, auditId, flags } = result;
        io.stdout(`${JSON.stringify({ ok, text, errorCode, tokensIn, tokensOut, cut, calls, auditId, flags }, null, 2)}\n`);
      } else {
        io.stdout(`${result.text}\n`);
      }
      if (!result.ok) process.exitCode = 1;
    }, named);
  },
};

export const typesCommand: Command = {
  name: 'types',
  summary: 'print the whole catalog as TypeScript (or Python) declarations',
  usage: `Usage: cemcp types [options]

Prints every upstream operation as TypeScript declarations: the API a program sees.

Options:
      --language L    typescript (default; javascript reads it too) or python: a module of TypedDicts
                      and a class of async methods per upstream, as a Python program calls them
      --json          the operations as JSON (callName, server, tool, description, inputSchema, outputSchema;
                      inferred: { calls } when the output type was learned from results, cemcp.types.infer)
${COMMON}

Example: cemcp types --config examples/mcp.json > api.d.ts
         cemcp types --config examples/mcp.json --language python > api.pyi
`,
  async run(argv, io) {
    const { values } = parseCommandArgs('types', argv, { ...CONFIG_OPTIONS, json: { type: 'boolean' }, language: { type: 'string' } });
    const language = parseLanguage(values.language);
    if (language && values.json) throw new UsageError('USAGE', 'types: --json lists the schemas; give --language without --json');
    await withGateway(values.config, values.verbose, io, async ({ service }) => {
      const operations = (await service.searchableCatalog()).operations;
      const { renderDeclarations, renderPyDeclarations } = await import('../catalog/index.js');
      if (!values.json) return io.stdout(language === 'python' ? renderPyDeclarations(operations) : renderDeclarations(operations));
      io.stdout(`${JSON.stringify(operations.map((op) => ({
        callName: op.callName, server: op.server, tool: op.toolName, description: op.description,
        inputSchema: op.inputSchema, ...(op.outputSchema ? { outputSchema: op.outputSchema } : {}), ...(op.inferred ? { inferred: op.inferred } : {}),
      })), null, 2)}\n`);
    });
  },
};

function parseDetail(value: string | undefined): SignatureDetail | undefined {
  if (value === undefined) return undefined;
  if (value === 'name' || value === 'summary' || value === 'full') return value;
  throw new UsageError('USAGE', `--detail: expected name, summary or full, got "${value}"`);
}

function parseLanguage(value: string | undefined): SignatureLanguage | undefined {
  if (value === undefined) return undefined;
  if (value === 'javascript' || value === 'typescript' || value === 'python') return value;
  throw new UsageError('USAGE', `--language: expected typescript, javascript or python, got "${value}"`);
}

async function readProgram(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new UsageError('USAGE', `--file ${file}: cannot read it (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, {}, { cause });
  }
}
