// Escape battery: flooding the audit log. A program that makes 10,000 calls the gateway refuses
// must not make a big record (refusals are counted, not listed), and runs that write a lot must
// never push a record younger than the retention window out of the log: the store warns and
// flags instead, and keeps every record.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAuditRecords } from '../../src/audit/index.js';
import { expectServes, useSecurityGateway } from './gateway.js';

const REFUSED = 10_000;
/** "A few KB": the record of a 10,000-call run, code and all. */
const MAX_RECORD_BYTES = 8 * 1024;

describe('escape battery: audit flooding', () => {
  const gateway = useSecurityGateway({
    upstreams: ['fixture'],
    limits: { cpuMs: 10_000, wallMs: 20_000, maxToolCalls: 20, memoryBytes: 64 * 2 ** 20 },
    // The smallest volume budget there is: one file of 4 KiB.
    settings: { audit: { maxFileBytes: 4_096, maxFiles: 1 } },
  });
  const auditDir = () => path.join(path.dirname(gateway().configFile), '.cemcp/audit');

  it('10,000 refused calls make a record of a few KB that counts them', async () => {
    const result = await gateway().run(`for (let i = 0; i < ${REFUSED}; i++) fixture.ping({}).catch(() => {}); return "fired";`);
    expect(result).toEqual({ text: 'fired', isError: false });
    const record = readAuditRecords(auditDir()).at(-1)!;
    expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThan(MAX_RECORD_BYTES);
    const counts = record.callCounts!;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(REFUSED);
    expect(counts.refused).toBe(REFUSED - 20);
    expect(record.refused).toEqual({ LIMIT_TOOL_CALLS: REFUSED - 20 });
    expect(record.calls.length).toBeLessThanOrEqual(20);
    expect(record.flags.map((f) => f.kind)).toContain('call-volume');
    await expectServes(gateway());
  }, 60_000);

  it('flooding runs cannot rotate out a record younger than the retention window', async () => {
    const marker = await gateway().run('return "the record that must stay"');
    expect(marker.isError).toBe(false);
    const markerId = readAuditRecords(auditDir()).at(-1)!.id;
    for (let run = 0; run < 6; run++) {
      const result = await gateway().run(`// ${'padding '.repeat(400)}\nfor (let i = 0; i < 2000; i++) fixture.ping({}).catch(() => {}); return ${run};`);
      expect(result.isError).toBe(false);
    }
    const records = readAuditRecords(auditDir());
    expect(records.map((r) => r.id)).toContain(markerId);
    const files = readdirSync(auditDir());
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) expect(statSync(path.join(auditDir(), file)).size).toBeLessThan(64 * 1024);
    // Past the budget the gateway says so, and each later record carries the flag.
    expect(gateway().stderr()).toMatch(/audit: the audit folder holds \d+ files, over cemcp\.audit\.maxFiles \(1\)/);
    expect(records.at(-1)!.flags.map((f) => f.kind)).toContain('audit-volume');
  }, 60_000);
});
