// The embedded audit store: append-only JSONL files in one folder, one record a line, written
// synchronously (durable once execute answers). Each process writes its own files, so several
// gateways (one per stdio client) can share a folder; files rotate by size and are deleted by age
// only: volume alone never deletes a record younger than the retention window (past the file
// budget the store warns once and flags each record instead). Imported by cli/ via audit/index.ts.
import { appendFileSync, mkdirSync, readFileSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { describeError, type Logger } from '../common/index.js';
import type { AuditRecord, AuditSink, Flag } from './record.js';

export interface JsonlAuditStoreOptions {
  readonly dir: string;
  /** A file past this size is closed and a new one started. */
  readonly maxFileBytes: number;
  /** Volume budget in files: past it the store warns and flags records (kind audit-volume); it deletes nothing for it. */
  readonly maxFiles: number;
  /** Files last written more than this many days ago are deleted. */
  readonly retentionDays: number;
  readonly logger: Logger;
  /** Epoch milliseconds; injectable for tests. */
  readonly now?: () => number;
}

export interface JsonlAuditStore extends AuditSink {
  /** The file being written, once something was written. */
  readonly currentFile: string | undefined;
}

const FILE = /^audit-[0-9TZ]+-\d+-\d+\.jsonl$/;
const DAY_MS = 86_400_000;

export function createJsonlAuditStore(options: JsonlAuditStoreOptions): JsonlAuditStore {
  const now = options.now ?? Date.now;
  let current: string | undefined;
  let currentBytes = 0;
  let sequence = 0;
  let failed = false;
  let overBudget: Flag | undefined;

  const startFile = (): void => {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    const stamp = new Date(now()).toISOString().replace(/[-:.]/g, '');
    current = path.join(options.dir, `audit-${stamp}-${process.pid}-${String(++sequence).padStart(6, '0')}.jsonl`);
    currentBytes = 0;
    const files = pruneExpired(options, now(), current) + 1;
    const wasOver = overBudget !== undefined;
    overBudget = files > options.maxFiles ? {
      kind: 'audit-volume',
      message: `the audit folder holds ${files} files, over cemcp.audit.maxFiles (${options.maxFiles}); none is older than retentionDays (${options.retentionDays}), so none was deleted`,
    } : undefined;
    if (overBudget && !wasOver) options.logger.log('warning', `audit: ${overBudget.message}; records are kept and disk use grows (raise maxFiles, or lower retentionDays)`);
  };

  return {
    get currentFile() {
      return current;
    },
    write(record) {
      let line = `${JSON.stringify(record)}\n`;
      const bytes = Buffer.byteLength(line);
      try {
        if (!current || (currentBytes > 0 && currentBytes + bytes > options.maxFileBytes)) startFile();
        if (overBudget) line = `${JSON.stringify({ ...record, flags: [...record.flags, overBudget] })}\n`;
        appendFileSync(current!, line, { mode: 0o600 });
        currentBytes += Buffer.byteLength(line);
        failed = false;
      } catch (error) {
        // Report once per failing streak; execute itself must not fail because the log cannot be written.
        if (!failed) options.logger.log('error', `audit: cannot write to ${options.dir}: ${describeError(error)}`);
        failed = true;
        current = undefined;
      }
    },
  };
}

/** Deletes the files last written before the retention window; answers how many others remain. */
function pruneExpired(options: JsonlAuditStoreOptions, nowMs: number, keep: string): number {
  let kept = 0;
  for (const file of listAuditFiles(options.dir)) {
    if (file === keep) continue;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      continue; // another gateway pruned it first
    }
    if (nowMs - mtimeMs <= options.retentionDays * DAY_MS) {
      kept += 1;
      continue;
    }
    try {
      unlinkSync(file);
    } catch {
      kept += 1; // still there, or another gateway pruned it first
    }
  }
  return kept;
}

/** Audit files in `dir`, oldest name first; none when the folder does not exist. */
export function listAuditFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => FILE.test(n)).sort().map((n) => path.join(dir, n));
}

/** Every record in `dir`, in time order. A torn last line (a crash mid-write) is skipped. */
export function readAuditRecords(dir: string): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (const file of listAuditFiles(dir)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const record = JSON.parse(line) as AuditRecord;
        if (record && record.v === 1 && typeof record.id === 'string') records.push(record);
      } catch {
        // A partial line.
      }
    }
  }
  return records.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}
