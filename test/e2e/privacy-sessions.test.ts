// PII token maps are per MCP session: over Streamable HTTP, a token issued in one session means
// nothing in another, and the same value gets independent numbering in each.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, startHttpGateway, tempDir, writeConfig } from './harness.js';
import { crmEntry } from './privacy-harness.js';

describe('PII tokens per HTTP session', () => {
  let gateway: Awaited<ReturnType<typeof startHttpGateway>>;
  let other: Client;
  let outbox: string;

  beforeAll(async () => {
    const dir = tempDir('cemcp-privacy-http-');
    outbox = path.join(dir, 'outbox.jsonl');
    gateway = await startHttpGateway(writeConfig(dir, crmEntry(outbox)));
    other = new Client({ name: 'second', version: '1.0.0' });
    await other.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
  });

  afterAll(async () => {
    await other?.close().catch(() => undefined);
    await gateway?.close();
  });

  it('restores a token only in the session that issued it', async () => {
    const first = await execute(gateway.client, 'return (await crm.list_contacts({}))[1].email;');
    expect(first.text).toBe('[EMAIL_1]');
    const second = await execute(other, 'return (await crm.list_contacts({})).map((c) => c.email);');
    expect(second.text).toBe('["[EMAIL_1]","[EMAIL_2]","[EMAIL_3]"]');

    await execute(other, `await crm.send_email({ to: '[EMAIL_1]', subject: 's', body: 'b' });`);
    await execute(gateway.client, `await crm.send_email({ to: '[EMAIL_1]', subject: 's', body: 'b' });`);
    const sent = readFileSync(outbox, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { to: string }).to);
    expect(sent).toEqual(['ada.lovelace@analytical.example', 'grace.hopper@navy.example']);
  });

  it('leaves a token no session issued as it is', async () => {
    const result = await execute(gateway.client, `return await crm.get_contact({ email: '[EMAIL_9]' }).catch((e) => e.message);`);
    expect(result.text).toBe('crm.get_contact: no contact with email [EMAIL_9]');
  });
});
