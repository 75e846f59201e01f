import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonlAuditStore, hashCode, type AuditRecord } from '../src/audit/index.js';
import { silentLogger } from '../src/common/index.js';
import { accountingOf, readRunAccounting, summarizeRuns } from './run-accounting.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function record(over: Partial<AuditRecord> & Pick<AuditRecord, 'id' | 'time'>): AuditRecord {
  return {
    v: 1, durationMs: 10, session: { id: 's', transport: 'stdio' }, code: 'return 1', codeSha256: hashCode('return 1'),
    redacted: true, ok: true, limitsHit: [], calls: [], tokens: { in: 5, out: 2 }, pii: { tokenized: {}, restored: 0 }, flags: [],
    ...over,
  };
}

describe('run accounting from audit records', () => {
  it('reads every run of an audit folder, in time order, with its status, tokens, calls and times', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cemcp-accounting-'));
    dirs.push(dir);
    const store = createJsonlAuditStore({ dir, maxFileBytes: 1 << 20, maxFiles: 10, retentionDays: 1, logger: silentLogger });
    store.write(record({ id: 'b', time: '2026-01-01T00:00:02.000Z', ok: false, errorCode: 'SYNTAX_ERROR', tokens: { in: 5, out: 20 }, durationMs: 3.4 }));
    store.write(record({
      id: 'a', time: '2026-01-01T00:00:01.000Z', tokens: { in: 242, out: 32 }, durationMs: 64.2, cpuMs: 6.1,
      callCounts: { ok: 6, error: 1, refused: 3, dropped: 0, cancelled: 0 },
    }));
    expect(readRunAccounting(dir)).toEqual([
      { status: 'ok', tokensIn: 242, tokensOut: 32, toolCalls: 7, wallMs: 64.2, cpuMs: 6.1 },
      { status: 'SYNTAX_ERROR', tokensIn: 5, tokensOut: 20, toolCalls: 0, wallMs: 3.4 },
    ]);
    expect(readRunAccounting(path.join(dir, 'missing'))).toEqual([]);
  });

  it('counts listed and omitted calls when a record has no call counts', () => {
    const call = { server: 'crm', tool: 'get', ok: true, durationMs: 1, argumentBytes: 2, resultBytes: 3 };
    expect(accountingOf(record({ id: 'x', time: 't', calls: [call, call], callsOmitted: 5 })).toolCalls).toBe(7);
  });

  it('sums runs and counts failures', () => {
    const runs = [
      { status: 'ok', tokensIn: 242, tokensOut: 32, toolCalls: 7, wallMs: 64.2, cpuMs: 6.1 },
      { status: 'SYNTAX_ERROR', tokensIn: 5, tokensOut: 20, toolCalls: 0, wallMs: 3.4 },
      { status: 'GUEST_THREW', tokensIn: 10, tokensOut: 12, toolCalls: 1, wallMs: 3, cpuMs: 1 },
    ];
    expect(summarizeRuns(runs)).toEqual({ runs: 3, failed: 2, tokensIn: 257, tokensOut: 64, toolCalls: 8, wallMs: 71, cpuMs: 7 });
    expect(summarizeRuns([])).toMatchObject({ runs: 0, tokensIn: 0 });
  });
});
