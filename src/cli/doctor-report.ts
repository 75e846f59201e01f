// The shape of a `cemcp doctor` report, its terminal rendering, and the fix suggested for each
// kind of start failure (a missing command, a hang, a crash, a refused URL, a bad spec).
// Pure; imported by cli/doctor.ts only.
import { describeError, isCemcpError } from '../common/index.js';
import { isStdioServer, type ServerConfig } from '../config/index.js';
import { DESCRIPTION_COMPONENTS, DESCRIPTION_SMELLS, DESCRIPTION_TARGET_TOKENS, type DescriptionLint } from '../catalog/index.js';

export interface DoctorServer {
  readonly name: string;
  /** stdio, http, sse or openapi. */
  readonly kind: string;
  readonly ok: boolean;
  /** Time to connect and list tools (or to fail), in ms. */
  readonly startMs: number;
  readonly error?: string;
  readonly errorCode?: string;
  readonly fix?: string;
  readonly tools: number;
  /** Tokens of its tool definitions as a direct-calling client sends them every turn. */
  readonly definitionTokens: number;
  /** Tokens a compact rewrite of its descriptions would save (above the target lengths). */
  readonly excessTokens: number;
  readonly lint: readonly DescriptionLint[];
}

export interface DoctorReport {
  readonly config: string;
  readonly tokenizer: string;
  readonly servers: readonly DoctorServer[];
  readonly connected: number;
  readonly failed: number;
  readonly tools: number;
  readonly definitionTokens: number;
  readonly excessTokens: number;
  readonly disabled: readonly string[];
  readonly stdioServers: number;
  /** Why `cemcp serve` would refuse this config as it stands (the servers are diagnosed anyway). */
  readonly refused?: string;
}

const LETTERS: Record<(typeof DESCRIPTION_COMPONENTS)[number], string> = {
  purpose: 'P', usage: 'U', limitations: 'L', parameters: 'A', examples: 'E', returns: 'R',
};

export function renderDoctorReport(report: DoctorReport): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [`cemcp doctor: ${report.config}`, ''];
  if (report.refused) lines.push('✗ cemcp serve refuses this config as it stands:', ...report.refused.split('\n').map((l) => `    ${l}`), '');
  const width = Math.max(4, ...report.servers.map((s) => s.name.length));
  for (const s of report.servers) {
    const head = `${s.ok ? '✓' : '✗'} ${s.name.padEnd(width)}  ${s.kind.padEnd(7)}`;
    if (s.ok) {
      lines.push(`${head} ${String(s.tools).padStart(3)} tools  ${seconds(s.startMs).padStart(6)}  ${n(s.definitionTokens).padStart(7)} tokens  ${lintSummary(s)}`);
    } else {
      lines.push(`${head} failed after ${seconds(s.startMs)}`);
      lines.push(`    error: ${s.error ?? 'unknown'}`);
      if (s.fix) lines.push(`    fix:   ${s.fix}`);
    }
  }
  if (report.disabled.length) lines.push(`  (disabled: ${report.disabled.join(', ')})`);

  const linted = report.servers.filter((s) => s.ok && s.lint.length);
  if (linted.length) {
    lines.push('', `Description lint: ${DESCRIPTION_COMPONENTS.map((c) => `${LETTERS[c]} ${c}`).join(', ')} (- = missing); target ${DESCRIPTION_TARGET_TOKENS} tokens`);
    for (const s of linted) {
      lines.push(`  ${s.name}`);
      const toolWidth = Math.min(32, Math.max(...s.lint.map((l) => l.tool.length)));
      for (const l of s.lint) {
        const marks = DESCRIPTION_COMPONENTS.map((c) => (l.components[c] ? LETTERS[c] : '-')).join('');
        const params = l.unexplainedParameters.length ? ` (${l.unexplainedParameters.join(', ')})` : '';
        const smells = l.smells.map((smell) => (smell === 'parameters-unexplained' ? `${smell}${params}` : smell)).join(', ');
        lines.push(`    ${l.tool.padEnd(toolWidth)}  ${marks}  ${String(l.tokens).padStart(4)} tok  ${smells || 'ok'}`);
      }
    }
  }
  const smellCount = linted.reduce((sum, s) => sum + s.lint.reduce((k, l) => k + l.smells.length, 0), 0);
  lines.push('',
    `${report.connected} of ${report.connected + report.failed} connected, ${n(report.tools)} tools, ${n(report.definitionTokens)} tokens of definitions (${report.tokenizer}); `
    + `${smellCount} description smells; a compact rewrite would save ~${n(report.excessTokens)} tokens.`);
  return `${lines.join('\n')}\n`;
}

function lintSummary(s: DoctorServer): string {
  if (!s.lint.length) return '';
  const counts = DESCRIPTION_SMELLS.map((smell) => [smell, s.lint.filter((l) => l.smells.includes(smell)).length] as const).filter(([, k]) => k > 0);
  const smells = counts.length ? counts.map(([smell, k]) => `${k} ${smell}`).join(', ') : 'no smells';
  return `${smells}${s.excessTokens ? `; ~${s.excessTokens} tokens to save` : ''}`;
}

function seconds(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

export interface FixContext {
  readonly name: string;
  /** The MCP server entry; absent for an OpenAPI source. */
  readonly server?: ServerConfig | undefined;
  readonly error: unknown;
  /** The config path of the entry: `mcpServers.github`, `openapi.cf`. */
  readonly where: string;
}

/** One sentence a user can act on, for the way this upstream failed to start. */
export function suggestFix({ server, error, where }: FixContext): string {
  const message = describeError(error);
  const code = isCemcpError(error) ? error.code : undefined;
  if (!server) {
    if (code === 'OPENAPI_SPEC_INVALID' && /cannot read spec/.test(message)) return `check ${where}.spec: the path is relative to the config file`;
    if (code === 'OPENAPI_SPEC_INVALID') return `${where}.spec must be an OpenAPI 3.0/3.1 document (JSON or YAML); validate it, or point at the right file`;
    return `check that ${where}.spec is reachable from this machine (URL, proxy, credentials)`;
  }
  const command = isStdioServer(server) ? [server.command, ...server.args].join(' ') : '';
  if (code === 'UPSTREAM_TIMEOUT') {
    return `raise cemcp.upstreams.connectTimeoutMs if it is only slow to start (first npx download, cold start); otherwise ${command ? `run \`${command}\` by hand to see why it hangs` : 'check that the server at the URL speaks MCP'}`;
  }
  if (isStdioServer(server)) {
    if (/ENOENT|not found/i.test(message)) return `"${server.command}" was not found: install it, or give its absolute path in ${where}.command (PATH is the gateway's)`;
    if (/EACCES/.test(message)) return `"${server.command}" is not executable: check its permissions (chmod +x)`;
    if (/not allowed|allowedCommands|shell/i.test(message)) return `the launch policy refused it: see cemcp.launcher.allowedCommands and ${where}.allowShell`;
    return `run \`${command}\` by hand to see its error (often a missing argument or environment variable in ${where}.env); --verbose prints its stderr`;
  }
  if (/\b401\b|\b403\b|unauthori[sz]ed|forbidden/i.test(message)) return `the server refused the credentials: check ${where}.headers (e.g. Authorization)`;
  if (/\b404\b/.test(message)) return `nothing serves MCP at ${server.url}: check the path (often /mcp, or /sse with "type": "sse")`;
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|fetch failed/i.test(message)) return `nothing answers at ${server.url}: is the server running and the host right?`;
  return `check ${where}.url and whether it needs "type": "sse"; --verbose shows more`;
}
