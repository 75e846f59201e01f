// A CRM-style flow over stdio with real upstreams (the SDK fixture CRM and server-memory from npm):
// emails and phone numbers move from the CRM into memory and back out through the CRM's outbox,
// while the client only ever sees tokens, and the audit store on disk holds no PII either.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, tempDir, writeConfig } from './harness.js';
import { crmEntry, runAuditCli, startRecordedGateway, type RecordedGateway } from './privacy-harness.js';

const EMAILS = ['ada.lovelace@analytical.example', 'grace.hopper@navy.example', 'alan@bletchley.example', 'mallory@evil.example'];
const PHONES = ['+44 20 7946 0958', '(555) 123-4567', '+44 1908 640404', '7946 0958', '123-4567'];

describe('PII tokenization across upstreams (CRM -> memory -> CRM outbox)', () => {
  let dir: string;
  let configFile: string;
  let gateway: RecordedGateway;

  beforeAll(async () => {
    dir = tempDir('cemcp-privacy-');
    configFile = writeConfig(dir, crmEntry(path.join(dir, 'outbox.jsonl')));
    gateway = await startRecordedGateway(configFile);
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('returns contacts with stable tokens in place of emails and phones', async () => {
    const result = await execute(gateway.client, 'return (await crm.list_contacts({})).map((c) => ({ name: c.name, email: c.email, phone: c.phone }));');
    expect(result.isError).toBe(false);
    expect(JSON.parse(result.text)).toEqual([
      { name: 'Ada Lovelace', email: '[EMAIL_1]', phone: '[PHONE_1]' },
      { name: 'Grace Hopper', email: '[EMAIL_2]', phone: '[PHONE_2]' },
      { name: 'Alan Turing', email: '[EMAIL_3]', phone: '[PHONE_3]' },
    ]);
  });

  it('restores tokens in tool arguments: server-memory stores the real values', async () => {
    const result = await execute(gateway.client, `
      await memory.create_entities({ entities: [{ name: 'Ada Lovelace', entityType: 'person', observations: ['email: [EMAIL_1]', 'phone: [PHONE_1]'] }] });
      return 'saved';`);
    expect(result).toEqual({ text: 'saved', isError: false });
    const stored = readFileSync(path.join(dir, 'memory.jsonl'), 'utf8');
    expect(stored).toContain('email: ada.lovelace@analytical.example');
    expect(stored).toContain('phone: +44 20 7946 0958');
  });

  it('moves PII from memory to the CRM inside the sandbox; logs and value come back tokenized with the same tokens', async () => {
    const result = await execute(gateway.client, `
      const graph = await memory.read_graph({});
      const ada = graph.entities.find((e) => e.name === 'Ada Lovelace');
      const email = ada.observations.find((o) => o.startsWith('email: ')).slice(7);
      const receipt = await crm.send_email({ to: email, subject: 'Hello', body: 'Please call Grace at [PHONE_2]' });
      console.log('sent to', receipt.to);
      return ada.observations;`);
    expect(result).toEqual({ text: 'console:\nsent to [EMAIL_1]\n\nresult:\n["email: [EMAIL_1]","phone: [PHONE_1]"]', isError: false });
    const outbox = readFileSync(path.join(dir, 'outbox.jsonl'), 'utf8');
    expect(JSON.parse(outbox.trim())).toEqual({ to: 'ada.lovelace@analytical.example', subject: 'Hello', body: 'Please call Grace at (555) 123-4567' });
  });

  it('tokenizes PII in a tool error the program did not catch', async () => {
    const result = await execute(gateway.client, `await crm.get_contact({ email: 'mallory@evil.example' });`);
    expect(result.isError).toBe(true);
    expect(result.text).toContain('no contact with email [EMAIL_4]');
  });

  it('never sent an email address or phone number to the client', () => {
    expect(gateway.received.length).toBeGreaterThanOrEqual(5);
    const all = gateway.received.join('\n');
    for (const value of [...EMAILS, ...PHONES]) expect(all).not.toContain(value);
    expect(all).not.toMatch(/[\w.]+@[\w-]+\.example/);
  });

  it('keeps the audit store free of PII, and `cemcp audit` reads what this serve session wrote', async () => {
    const files = (await runAuditCli(['list', '--json', '--config', configFile])).trim().split('\n');
    const records = files.map((line) => JSON.parse(line) as { id: string; session: { transport: string; client?: { name: string } }; pii: { tokenized: Record<string, number>; restored: number }; code: string });
    expect(records.length).toBe(4);
    expect(records.every((r) => r.session.transport === 'stdio' && r.session.client?.name === 'privacy-e2e')).toBe(true);
    expect(records[0]!.pii.tokenized).toEqual({ EMAIL: 3, PHONE: 3 });
    expect(records[1]!.pii.restored).toBe(2);
    expect(records[3]!.code).toContain(`email: '[EMAIL]'`);
    const raw = readFileSync(path.join(dir, '.cemcp/audit', readdirName(path.join(dir, '.cemcp/audit'))), 'utf8');
    for (const value of [...EMAILS, ...PHONES]) expect(raw).not.toContain(value);

    const sent = (await runAuditCli(['list', '--json', '--tool', 'crm.send_email', '--config', configFile])).trim().split('\n');
    expect(sent.length).toBe(1);
    const shown = await runAuditCli(['show', records[2]!.id.slice(0, 8), '--config', configFile]);
    expect(shown).toContain('crm.send_email  ok');
    expect(shown).toContain('memory.read_graph  ok');
    expect(shown).toMatch(/pii       tokenized EMAIL=\d+ PHONE=\d+; restored 1/);
  });
});

function readdirName(folder: string): string {
  const names = readdirSync(folder);
  expect(names.length).toBe(1);
  return names[0]!;
}
