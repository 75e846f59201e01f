import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../common/index.js';
import { flagCall, flagVolume } from './call-flags.js';
import { createJsonlAuditStore, listAuditFiles, readAuditRecords } from './jsonl-store.js';
import { createPolicy } from './policy.js';
import { escapeJsonForTerminal, filterRecords, findRecord, formatRecord, formatRecordLine, parseTimeSpec } from './query.js';
import { countOperations, DEFAULT_AUDIT_BOUNDS, sampleCalls } from './record-bounds.js';
import type { AuditRecord } from './record.js';
import { checkProgram } from './static-check.js';

const probes = (code: string): string[] => checkProgram(code).map((f) => f.message);

describe('static program check', () => {
  it('flags process, require, eval, Function, dynamic import and import.meta', () => {
    expect(probes('(async () => { return process.env; })')).toEqual(['program references process (line 1)']);
    expect(probes('(async () => {\n const fs = require("fs");\n eval("1");\n new Function("return 1")();\n await import("fs");\n})'))
      .toEqual(['program references require (line 2)', 'program references eval (line 3)', 'program references Function (line 4)', 'program uses dynamic import() (line 5)']);
  });

  it('flags constructor chains and string-built names', () => {
    expect(probes('(async () => ({}).constructor.constructor("return this")())')).toEqual(['program accesses .constructor (line 1)']);
    expect(probes('(async () => { const k = "con" + "structor"; return [][ "con" + "structor" ]; })')).toEqual(['program looks up ["constructor"] (line 1)']);
    expect(probes('(async () => globalThis[`pro` + "cess"])')).toEqual(['program looks up ["process"] (line 1)', 'program references globalThis (line 1)']);
    expect(probes('(async () => { const n = x(); return this[n]; })')).toEqual(['program looks up a computed name on the global object (line 1)']);
    expect(probes('(async () => Object.getPrototypeOf(async function(){}))')).toEqual(['program accesses .getPrototypeOf (line 1)']);
    expect(probes('(async () => this.require)')).toEqual(['program reaches require through the global object (line 1)']);
  });

  it('does not flag ordinary programs, property names or object keys', () => {
    const code = `(async () => {
      const graph = await memory.read_graph({});
      const out = { process: 1, require: graph.entities.length, eval: 'x' };
      const people = graph.entities.filter((e) => e.entityType === 'person').map((p) => p.name);
      console.log(people.length, out.process, graph.process);
      return people;
    })`;
    expect(probes(code)).toEqual([]);
  });

  it('maps lines through the given mapper and ignores code that does not parse', () => {
    expect(checkProgram('(async () => {\n\n process.exit(); })', (line) => line - 1)[0]?.line).toBe(2);
    expect(checkProgram('(async () => { return ; ; process')).toEqual([]);
  });
});

describe('tool policy', () => {
  const target = (server: string, tool: string, destructive = false) => ({ server, tool, callName: `${server}.${tool.replace(/-/g, '_')}`, destructive });

  it('denies by glob with the rule named; deny wins over confirm and allow', () => {
    const policy = createPolicy({ allow: ['memory.*'], deny: ['memory.delete_*', 'shell'], confirm: ['memory.delete_entities'], destructive: 'allow' });
    expect(policy.decide(target('memory', 'delete_entities'))).toEqual({ action: 'deny', rule: 'deny "memory.delete_*"' });
    expect(policy.decide(target('shell', 'run'))).toEqual({ action: 'deny', rule: 'deny "shell"' });
    expect(policy.decide(target('memory', 'read_graph'))).toEqual({ action: 'allow', rule: 'allow "memory.*"' });
    expect(policy.decide(target('everything', 'echo'))).toEqual({ action: 'deny', rule: 'allow list (no pattern matches)' });
  });

  it('asks to confirm by pattern or for destructive tools, and matches the call name form', () => {
    const policy = createPolicy({ allow: [], deny: [], confirm: ['everything.get_sum'], destructive: 'confirm' });
    expect(policy.decide(target('everything', 'get-sum'))).toEqual({ action: 'confirm', rule: 'confirm "everything.get_sum"' });
    expect(policy.decide(target('fs', 'write_file', true))).toEqual({ action: 'confirm', rule: 'destructive: "confirm"' });
    expect(policy.decide(target('fs', 'read_file'))).toEqual({ action: 'allow', rule: 'default' });
  });
});

describe('tool policy matching', () => {
  const target = (server: string, tool: string) => ({ server, tool, callName: `${server}.${tool}`, destructive: false });
  it('matches globs without regard to case', () => {
    const policy = createPolicy({ allow: [], deny: ['fs.delete_*', 'SHELL'], confirm: [], destructive: 'allow' });
    expect(policy.decide(target('fs', 'Delete_Everything')).action).toBe('deny');
    expect(policy.decide(target('FS', 'DELETE_ALL')).action).toBe('deny');
    expect(policy.decide(target('Shell', 'run')).action).toBe('deny');
    expect(policy.decide(target('fs', 'read_file')).action).toBe('allow');
  });
  it('names fetch with `fetch` or `fetch:<url glob>`; those patterns never cover tools', () => {
    const policy = createPolicy({ allow: ['fetch:https://api.example.com/*'], deny: ['fetch:*/admin*'], confirm: ['FETCH:https://api.example.com/pay*'], destructive: 'allow' });
    expect(policy.decideFetch('https://api.example.com/v1/items')).toEqual({ action: 'allow', rule: 'allow "fetch:https://api.example.com/*"' });
    expect(policy.decideFetch('https://API.example.com/admin/x')).toEqual({ action: 'deny', rule: 'deny "fetch:*/admin*"' });
    expect(policy.decideFetch('https://api.example.com/payments')).toMatchObject({ action: 'confirm' });
    expect(policy.decideFetch('https://evil.example/')).toEqual({ action: 'deny', rule: 'allow list (no fetch pattern matches)' });
    // The allow list names only fetch: tools are not governed by it.
    expect(policy.decide(target('fs', 'read_file')).action).toBe('allow');
    expect(createPolicy({ allow: [], deny: ['fetch'], confirm: [], destructive: 'allow' }).decideFetch('https://a.example/')).toMatchObject({ action: 'deny' });
    expect(createPolicy({ allow: [], deny: ['fetch'], confirm: [], destructive: 'allow' }).decide(target('fetch', 'get')).action).toBe('allow');
  });
});

describe('audit record bounds', () => {
  const call = (i: number) => ({ server: 's', tool: `t${i % 3}`, ok: true, fate: 'ok' as const, durationMs: 1, argumentBytes: 2, resultBytes: 3 });
  it('keeps the first and last calls of a long run and counts operations under a cap', () => {
    const calls = Array.from({ length: 1_000 }, (_, i) => call(i));
    const sample = sampleCalls(calls, { ...DEFAULT_AUDIT_BOUNDS, sampleFirst: 3, sampleLast: 2 });
    expect(sample.calls).toEqual([call(0), call(1), call(2), call(998), call(999)]);
    expect(sample.omitted).toBe(995);
    expect(sampleCalls(calls.slice(0, 4), DEFAULT_AUDIT_BOUNDS)).toEqual({ calls: calls.slice(0, 4), omitted: 0 });
    expect(countOperations(calls)).toEqual({ 's.t0': 334, 's.t1': 333, 's.t2': 333 });
    const many = Array.from({ length: 500 }, (_, i) => ({ ...call(0), tool: `op${i}` }));
    expect(Object.keys(countOperations(many))).toHaveLength(51);
  });
});

describe('call flags', () => {
  it('flags destructive and shell-like tools, and unusual volume', () => {
    expect(flagCall({ server: 'fs', tool: 'delete_file', callName: 'fs.delete_file', destructive: true }).map((f) => f.kind)).toEqual(['destructive']);
    expect(flagCall({ server: 'box', tool: 'run_command', callName: 'box.run_command', destructive: false }).map((f) => f.kind)).toEqual(['shell']);
    expect(flagCall({ server: 'box', tool: 'bash', callName: 'box.bash', destructive: false }).map((f) => f.kind)).toEqual(['shell']);
    expect(flagCall({ server: 'memory', tool: 'search_nodes', callName: 'memory.search_nodes', destructive: false })).toEqual([]);
    const call = { server: 's', tool: 't', ok: true, durationMs: 1, argumentBytes: 10, resultBytes: 600 };
    expect(flagVolume([call, call, call], { maxCalls: 2, maxDataBytes: 1_000 }).map((f) => f.kind)).toEqual(['call-volume', 'data-volume']);
    expect(flagVolume([call], { maxCalls: 2, maxDataBytes: 1_000 })).toEqual([]);
  });
});

const record = (over: Partial<AuditRecord> = {}): AuditRecord => ({
  v: 1, id: 'a1b2c3d4-0000', time: '2025-01-02T03:04:05.000Z', durationMs: 12, session: { id: 'sess-1', transport: 'stdio', client: { name: 'c', version: '1' } },
  code: 'return 1', codeSha256: 'x', redacted: true, ok: true, limitsHit: [], calls: [], tokens: { in: 3, out: 1 },
  pii: { tokenized: {}, restored: 0 }, flags: [], ...over,
});

describe('JSONL audit store', () => {
  it('appends records, reads them back in time order and skips a torn line', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cemcp-audit-'));
    const store = createJsonlAuditStore({ dir, maxFileBytes: 1 << 20, maxFiles: 5, retentionDays: 30, logger: silentLogger });
    store.write(record({ id: 'b', time: '2025-01-02T00:00:02.000Z' }));
    store.write(record({ id: 'a', time: '2025-01-02T00:00:01.000Z' }));
    writeFileSync(store.currentFile!, `${readFileSync(store.currentFile!, 'utf8')}{"v":1,"id":"torn`);
    expect(readAuditRecords(dir).map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('rotates by size and deletes by age only: volume never deletes a record within retention; it warns once and flags', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cemcp-audit-'));
    const old = path.join(dir, 'audit-20000101T000000000Z-1-1.jsonl');
    writeFileSync(old, `${JSON.stringify(record({ id: 'old' }))}\n`);
    utimesSync(old, new Date('2000-01-01'), new Date('2000-01-01'));
    const warnings: string[] = [];
    const store = createJsonlAuditStore({ dir, maxFileBytes: 400, maxFiles: 3, retentionDays: 30, logger: { log: (_s, m) => warnings.push(m) } });
    for (let i = 0; i < 10; i++) store.write(record({ id: `r${i}` }));
    const files = listAuditFiles(dir);
    expect(files.length).toBe(10);
    expect(files).not.toContain(old);
    expect(readdirSync(dir).every((n) => n.startsWith('audit-'))).toBe(true);
    const records = readAuditRecords(dir);
    expect(records.map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/over cemcp\.audit\.maxFiles \(3\); none is older than retentionDays \(30\), so none was deleted/);
    expect(records.filter((r) => r.flags.some((f) => f.kind === 'audit-volume')).map((r) => r.id)).toEqual(['r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
  });

  it('reports a write failure to the logger once and does not throw', () => {
    const lines: string[] = [];
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cemcp-audit-')), 'not-a-dir');
    writeFileSync(file, '');
    const store = createJsonlAuditStore({ dir: file, maxFileBytes: 1_000, maxFiles: 3, retentionDays: 1, logger: { log: (_s, m) => lines.push(m) } });
    store.write(record());
    store.write(record());
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/^audit: cannot write to /);
  });
});

describe('audit queries', () => {
  const records = [
    record({ id: 'aaa1', time: '2025-01-01T00:00:00.000Z', session: { id: 'alpha', transport: 'http' } }),
    record({ id: 'aaa2', time: '2025-01-02T00:00:00.000Z', calls: [{ server: 'crm', tool: 'delete_contact', ok: true, durationMs: 2, argumentBytes: 5, resultBytes: 9 }], flags: [{ kind: 'destructive', message: 'called crm.delete_contact, annotated destructive', call: 'crm.delete_contact' }] }),
    record({ id: 'bbb3', time: '2025-01-03T00:00:00.000Z', ok: false, errorCode: 'SANDBOX_CPU', limitsHit: ['SANDBOX_CPU'] }),
  ];

  it('filters by session, server, tool, flag, outcome and time', () => {
    const ids = (f: Parameters<typeof filterRecords>[1]) => filterRecords(records, f).map((r) => r.id);
    expect(ids({ session: 'alp' })).toEqual(['aaa1']);
    expect(ids({ server: 'crm' })).toEqual(['aaa2']);
    expect(ids({ tool: 'crm.delete_contact' })).toEqual(['aaa2']);
    expect(ids({ tool: 'delete_contact', flag: 'destructive' })).toEqual(['aaa2']);
    expect(ids({ ok: false })).toEqual(['bbb3']);
    expect(ids({ sinceMs: Date.parse('2025-01-02'), untilMs: Date.parse('2025-01-02T12:00:00Z') })).toEqual(['aaa2']);
    expect(ids({ limit: 2 })).toEqual(['aaa2', 'bbb3']);
  });

  it('filters by principal subject ("local" for sessions without one) and shows the principal', () => {
    const principal = { subject: 'svc-reports', clientId: 'reports-app', scopes: ['crm:read'], source: 'oauth' as const, issuer: 'https://as.example' };
    const withPrincipal = [...records, record({ id: 'ccc4', session: { id: 'gamma', transport: 'http', principal } })];
    const ids = (f: Parameters<typeof filterRecords>[1]) => filterRecords(withPrincipal, f).map((r) => r.id);
    expect(ids({ principal: 'svc-reports' })).toEqual(['ccc4']);
    expect(ids({ principal: 'svc' })).toEqual([]);
    expect(ids({ principal: 'local' })).toEqual(['aaa1', 'aaa2', 'bbb3']);
    expect(formatRecordLine(withPrincipal[3]!)).toContain('session=gamma  principal=svc-reports  ok');
    expect(formatRecord(withPrincipal[3]!)).toContain('principal svc-reports (oauth, client reports-app, issuer https://as.example; scopes crm:read)');
    expect(formatRecord(records[0]!)).not.toContain('principal');
  });

  it('parses relative and absolute times and finds a record by id prefix', () => {
    expect(parseTimeSpec('2h', 10_000_000, '--since')).toBe(10_000_000 - 7_200_000);
    expect(parseTimeSpec('2025-01-02', 0, '--since')).toBe(Date.parse('2025-01-02'));
    expect(() => parseTimeSpec('yesterday', 0, '--since')).toThrow(/--since: expected/);
    expect(findRecord(records, 'bbb').id).toBe('bbb3');
    expect(() => findRecord(records, 'aaa')).toThrow(/matches 2 records/);
  });

  it('escapes control characters from programs, upstreams and clients in what it prints', () => {
    const hostile = record({
      id: 'evil', session: { id: 'sess\u001b]0;pwned\u0007', transport: 'stdio', client: { name: 'c\u001b[2J', version: '\u009b31m' } },
      code: 'return 1;\n\tconsole.log("\u001b[31mred")\u202e',
      calls: [{ server: 'up', tool: 'x\u001b[1A', ok: true, fate: 'ok', durationMs: 1, argumentBytes: 1, resultBytes: 1 }],
      flags: [{ kind: 'policy', message: 'refused\rup.x' }], error: 'boom\u0008\u0008', errorCode: 'GUEST_THREW', ok: false,
    });
    const shown = formatRecord(hostile) + formatRecordLine(hostile);
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(shown).toContain('sess\\x1b]0;pwned\\x07');
    expect(shown).toContain('console.log("\\x1b[31mred")\\u202e');
    expect(shown).toContain('\n\tconsole.log'); // the program's own layout is kept
    expect(formatRecordLine(hostile)).not.toContain('\n');
    const json = escapeJsonForTerminal(JSON.stringify(hostile));
    expect(json).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(json)).toEqual(hostile);
  });

  it('renders a line and a full record', () => {
    expect(formatRecordLine(records[1]!)).toContain('flags=destructive  crm.delete_contact');
    expect(formatRecord(records[2]!)).toContain('outcome   SANDBOX_CPU; limits hit: SANDBOX_CPU');
  });
});
