// `cemcp audit`: lists, filters and shows the audit records in the folder a config names (or
// --dir), as text or JSON for piping. Reads the store only; starts no upstream. Used by main.ts.
import { escapeJsonForTerminal, filterRecords, findRecord, formatRecord, formatRecordLine, parseTimeSpec, readAuditRecords, FLAG_KINDS } from '../audit/index.js';
import { UsageError } from '../common/index.js';
import { loadConfig } from '../config/index.js';
import { auditDirOf } from './oversight-wiring.js';
import { parseCommandArgs, type Command } from './command.js';

const AUDIT_USAGE = `Usage: cemcp audit [list] [--config FILE | --dir DIR] [filters] [--json]
       cemcp audit show ID [--config FILE | --dir DIR] [--json]

Filters (list):
  --session ID    a session id or its prefix        --server NAME   runs that called this upstream
  --principal SUB runs of this principal (its subject; "local" for unauthenticated sessions)
  --tool NAME     a tool, or server.tool              --flag KIND     ${FLAG_KINDS.join(', ')}
  --since T       ISO time or span (15m, 2h, 7d)      --until T       ISO time or span
  --failed        only runs that ended in an error    --limit N       the most recent N (default 50)
  --json          one JSON record per line (list) or the whole record (show)
`;

const DEFAULT_LIMIT = 50;

export const auditCommand: Command = {
  name: 'audit',
  summary: 'list or show the audit records of past executes',
  usage: AUDIT_USAGE,
  run: (argv, io) => runAuditCommand(argv, io.env, (text) => io.stdout(text)),
};

async function runAuditCommand(argv: readonly string[], env: NodeJS.ProcessEnv, write: (text: string) => void): Promise<void> {
  const { values, positionals } = parseCommandArgs('audit', argv, {
    config: { type: 'string', short: 'c' },
    dir: { type: 'string' },
    session: { type: 'string' },
    principal: { type: 'string' },
    server: { type: 'string' },
    tool: { type: 'string' },
    flag: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    failed: { type: 'boolean' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [action = 'list', ...rest] = positionals;
  const dir = values.dir ?? auditDirOf(await loadConfig(values.config ?? 'mcp.json', env));
  const records = readAuditRecords(dir);

  if (action === 'show') {
    const id = rest[0];
    if (!id) throw new UsageError('USAGE', `audit show: give a record id (or its prefix)\n\n${AUDIT_USAGE}`);
    const record = findRecord(records, id);
    return write(values.json ? `${escapeJsonForTerminal(JSON.stringify(record, null, 2))}\n` : `${formatRecord(record)}\n`);
  }
  if (action !== 'list') throw new UsageError('USAGE', `audit: unknown action "${action}"\n\n${AUDIT_USAGE}`);
  if (values.flag && !(FLAG_KINDS as readonly string[]).includes(values.flag)) {
    throw new UsageError('USAGE', `--flag: expected one of ${FLAG_KINDS.join(', ')}; got "${values.flag}"`);
  }
  const now = Date.now();
  const limit = values.limit === undefined ? DEFAULT_LIMIT : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('USAGE', `--limit: expected a positive whole number, got "${values.limit}"`);
  const found = filterRecords(records, {
    session: values.session, principal: values.principal, server: values.server, tool: values.tool, flag: values.flag,
    ...(values.failed ? { ok: false } : {}),
    ...(values.since ? { sinceMs: parseTimeSpec(values.since, now, '--since') } : {}),
    ...(values.until ? { untilMs: parseTimeSpec(values.until, now, '--until') } : {}),
    limit,
  });
  if (values.json) return write(found.map((r) => `${escapeJsonForTerminal(JSON.stringify(r))}\n`).join(''));
  write(found.length ? `${found.map(formatRecordLine).join('\n')}\n` : `no audit records match in ${dir}\n`);
}
