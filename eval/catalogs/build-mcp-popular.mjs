#!/usr/bin/env node
// Builds eval/catalogs/mcp-popular.json.gz: the tools/list of popular MCP servers from npm, each
// started offline over stdio with the official SDK Client and placeholder (never real) credentials.
// Run by hand, not in CI: `node eval/catalogs/build-mcp-popular.mjs [--dir /tmp/mcp-popular]`.
// Packages are installed (pinned, --ignore-scripts) into --dir, outside the repository.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, 'mcp-popular.json.gz');
const START_TIMEOUT_MS = 60_000;
const DUMMY = 'dummy-not-a-real-token';

const argDir = process.argv.indexOf('--dir');
const dir = resolve(argDir > 0 ? process.argv[argDir + 1] : join(tmpdir(), 'mcp-popular'));
const scratch = mkdtempSync(join(tmpdir(), 'mcp-popular-run-'));
const gdriveCredentials = join(scratch, 'gdrive-credentials.json');
writeFileSync(gdriveCredentials, JSON.stringify({ access_token: DUMMY, token_type: 'Bearer' }));

/**
 * name: the config key a user would write; licence: as read from the package (LICENSE file,
 * package.json or README); only permissive licences (MIT, Apache-2.0, BSD, ISC) belong here.
 * Tried and left out (SOURCES.md says why): supabase, stripe, kubernetes, heroku, redis, sentry.
 */
const SERVERS = [
  { name: 'github', package: '@modelcontextprotocol/server-github', version: '2025.4.8', license: 'MIT', env: { GITHUB_PERSONAL_ACCESS_TOKEN: DUMMY } },
  { name: 'gitlab', package: '@modelcontextprotocol/server-gitlab', version: '2025.4.25', license: 'MIT', env: { GITLAB_PERSONAL_ACCESS_TOKEN: DUMMY } },
  { name: 'slack', package: '@modelcontextprotocol/server-slack', version: '2025.4.25', license: 'MIT', env: { SLACK_BOT_TOKEN: `xoxb-${DUMMY}`, SLACK_TEAM_ID: 'T00000000' } },
  { name: 'postgres', package: '@modelcontextprotocol/server-postgres', version: '0.6.2', license: 'MIT', args: ['postgresql://localhost:1/dummy'] },
  { name: 'puppeteer', package: '@modelcontextprotocol/server-puppeteer', version: '2025.5.12', license: 'MIT' },
  { name: 'brave-search', package: '@modelcontextprotocol/server-brave-search', version: '0.6.2', license: 'MIT', env: { BRAVE_API_KEY: DUMMY } },
  { name: 'google-maps', package: '@modelcontextprotocol/server-google-maps', version: '0.6.2', license: 'MIT', env: { GOOGLE_MAPS_API_KEY: DUMMY } },
  { name: 'gdrive', package: '@modelcontextprotocol/server-gdrive', version: '2025.1.14', license: 'MIT', env: { GDRIVE_CREDENTIALS_PATH: gdriveCredentials } },
  { name: 'sequential-thinking', package: '@modelcontextprotocol/server-sequential-thinking', version: '2026.8.31', license: 'MIT' },
  { name: 'everything', package: '@modelcontextprotocol/server-everything', version: '2026.8.31', license: 'MIT', args: ['stdio'] },
  { name: 'memory', package: '@modelcontextprotocol/server-memory', version: '2026.8.31', license: 'MIT', env: { MEMORY_FILE_PATH: join(scratch, 'memory.jsonl') } },
  { name: 'filesystem', package: '@modelcontextprotocol/server-filesystem', version: '2026.8.31', license: 'MIT', args: [scratch] },
  { name: 'playwright', package: '@playwright/mcp', version: '0.0.83', license: 'Apache-2.0', args: ['--headless'] },
  { name: 'chrome-devtools', package: 'chrome-devtools-mcp', version: '1.11.0', license: 'Apache-2.0', bin: 'chrome-devtools-mcp' },
  { name: 'notion', package: '@notionhq/notion-mcp-server', version: '2.5.2', license: 'MIT', env: { NOTION_TOKEN: DUMMY } },
  { name: 'context7', package: '@upstash/context7-mcp', version: '4.1.1', license: 'MIT', args: ['--transport', 'stdio'] },
  { name: 'firecrawl', package: 'firecrawl-mcp', version: '3.26.0', license: 'MIT', env: { FIRECRAWL_API_KEY: `fc-${DUMMY}` } },
  { name: 'tavily', package: 'tavily-mcp', version: '0.2.22', license: 'MIT', env: { TAVILY_API_KEY: `tvly-${DUMMY}` } },
  { name: 'exa', package: 'exa-mcp-server', version: '3.4.1', license: 'MIT', env: { EXA_API_KEY: DUMMY } },
  { name: 'datadog', package: '@winor30/mcp-server-datadog', version: '1.8.0', license: 'Apache-2.0', env: { DATADOG_API_KEY: DUMMY, DATADOG_APP_KEY: DUMMY } },
  { name: 'desktop-commander', package: '@wonderwhy-er/desktop-commander', version: '0.2.52', license: 'MIT', bin: 'desktop-commander' },
  { name: 'airtable', package: 'airtable-mcp-server', version: '1.14.0', license: 'MIT', env: { AIRTABLE_API_KEY: DUMMY } },
  { name: 'chart', package: '@antv/mcp-server-chart', version: '0.9.10', license: 'MIT' },
  { name: 'circleci', package: '@circleci/mcp-server-circleci', version: '0.20.0', license: 'Apache-2.0', env: { CIRCLECI_TOKEN: DUMMY } },
];

const only = process.env.ONLY ? new Set(process.env.ONLY.split(',')) : undefined;
const selected = SERVERS.filter((s) => !only || only.has(s.name));

function install() {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"name":"mcp-popular","private":true}\n');
  const missing = selected.filter((s) => {
    const pj = join(dir, 'node_modules', s.package, 'package.json');
    return !existsSync(pj) || JSON.parse(readFileSync(pj, 'utf8')).version !== s.version;
  });
  if (missing.length === 0) return;
  const specs = missing.map((s) => `${s.package}@${s.version}`);
  console.error(`installing ${specs.join(' ')} into ${dir}`);
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--legacy-peer-deps', ...specs], { cwd: dir, stdio: 'inherit' });
}

function entryOf(server) {
  const root = join(dir, 'node_modules', server.package);
  const pj = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const bin = typeof pj.bin === 'string' ? pj.bin : pj.bin[server.bin ?? Object.keys(pj.bin)[0]];
  return { entry: join(root, bin), version: pj.version };
}

/** Only the fields a client reads from tools/list, in a fixed order. */
function pickTool(tool) {
  const out = { name: tool.name };
  for (const key of ['title', 'description', 'inputSchema', 'outputSchema', 'annotations']) {
    if (tool[key] !== undefined) out[key] = tool[key];
  }
  return out;
}

async function listTools(server) {
  const { entry, version } = entryOf(server);
  if (version !== server.version) throw new Error(`installed ${version}, pinned ${server.version}`);
  const home = mkdtempSync(join(scratch, 'home-'));
  const env = {
    PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NODE_ENV: 'production',
    DO_NOT_TRACK: '1', KUBECONFIG: join(home, 'kubeconfig'), ...server.env,
  };
  const transport = new StdioClientTransport({ command: process.execPath, args: [entry, ...(server.args ?? [])], env, cwd: home, stderr: 'ignore' });
  const client = new Client({ name: 'cemcp-catalog-builder', version: '0.0.0' });
  const timer = new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), START_TIMEOUT_MS).unref());
  try {
    await Promise.race([client.connect(transport), timer]);
    const tools = [];
    let cursor;
    do {
      const page = await Promise.race([client.listTools(cursor ? { cursor } : {}), timer]);
      tools.push(...page.tools.map(pickTool));
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  } finally {
    await client.close().catch(() => {});
  }
}

install();
const servers = [];
for (const server of selected) {
  try {
    const tools = await listTools(server);
    if (tools.length === 0) throw new Error('listed no tools');
    servers.push({ name: server.name, package: server.package, version: server.version, license: server.license, tools });
    console.error(`${server.name}: ${tools.length} tools`);
  } catch (error) {
    console.error(`${server.name}: skipped (${error instanceof Error ? error.message : String(error)})`);
  }
}
const total = servers.reduce((n, s) => n + s.tools.length, 0);
console.error(`${servers.length} servers, ${total} tools`);
if (!only) writeFileSync(OUT, gzipSync(`${JSON.stringify({ servers }, null, 1)}\n`, { level: 9 }));
else console.log(JSON.stringify(servers.map((s) => ({ name: s.name, tools: s.tools.map((t) => t.name) }))));
process.exit(0);
