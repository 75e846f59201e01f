// Escape battery: PII past the tokenizer without any transformation by the program. A real HTTP
// API returns PII as JSON numbers and in encoded forms, and error bodies whose e-mail sits right
// across the 2,000-character error cut; programs log and throw text cut by the log limit and the
// 8,192-character message clip. Nothing shows a raw value or a raw prefix of one (> 3 characters),
// in the answer, the audit log or the console lines streamed while the run goes on; loopback and
// documentation addresses stay readable.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, startStdioGateway, tempDir, type RunningGateway } from '../e2e/harness.js';
import { startEchoServer, type EchoServer } from '../fixtures/openapi/echo-server.js';

const EMAIL = 'ada.lovelace@analytical-engine.example';
const MAX_LOG_BYTES = 4_096;

/** The longest prefix of `value` (over 3 characters) that `text` shows raw, or '' when none. */
function rawPrefix(text: string, value: string): string {
  for (let j = value.length; j >= 4; j--) if (text.includes(value.slice(0, j))) return value.slice(0, j);
  return '';
}

describe('escape battery: PII across cuts and in numbers', () => {
  let api: EchoServer;
  let gateway: RunningGateway;
  let auditDir: string;
  const liveLines: string[] = [];

  beforeAll(async () => {
    api = await startEchoServer();
    const dir = tempDir('cemcp-pii-cuts-');
    auditDir = path.join(dir, 'audit');
    const configFile = path.join(dir, 'mcp.json');
    writeFileSync(configFile, JSON.stringify({
      mcpServers: {},
      openapi: { echo: { spec: `${api.origin}/openapi.json`, baseUrl: api.baseUrl } },
      cemcp: { limits: { maxLogBytes: MAX_LOG_BYTES }, audit: { dir: auditDir } },
    }), { mode: 0o600 });
    gateway = await startStdioGateway(configFile);
    gateway.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      if (n.params.logger === 'cemcp.console') liveLines.push(String(n.params.data));
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await api?.close();
  });

  it('tokenizes a card, phone and SSN that arrive as JSON numbers, a US phone with spaces and a URL-encoded e-mail', async () => {
    const r = await execute(gateway.client, 'return await echo.person();');
    expect(r.isError, r.text).toBe(false);
    const person = JSON.parse(r.text) as Record<string, string>;
    expect(person).toMatchObject({ name: 'Ada', card: '[CARD_1]', phone: '[PHONE_1]', ssn: '[SSN_1]', mobile: '[PHONE_2]' });
    expect(person.profile).toBe('https://x.example/u?email=[EMAIL_1]');
    for (const raw of ['4111111111111111', '14155550137', '123456789', '415 555 0137', 'ada.lovelace%40']) expect(r.text).not.toContain(raw);
  });

  it('an e-mail across the 2,000-character tool error cut shows no raw prefix (caught and logged, or returned)', async () => {
    const r = await execute(gateway.client, `
      const out = [];
      for (let pad = 940; pad <= 990; pad += 2) {
        try { await echo.failPii({ pad, value: '${EMAIL}' }); } catch (e) { out.push(e.message.slice(-100)); }
      }
      console.log(out.join('\\n'));
      return out;`);
    expect(r.isError, r.text).toBe(false);
    expect(rawPrefix(r.text, EMAIL)).toBe('');
    expect(r.text).toContain('…[cut]');
    expect(r.text).toMatch(/\[EMAIL_\d+\] is not allowed here/); // the pads that did not split it keep a token
  });

  it('an uncaught tool error whose e-mail the cut split shows no raw prefix', async () => {
    for (const pad of [950, 960, 970]) {
      const r = await execute(gateway.client, `await echo.failPii({ pad: ${pad}, value: '${EMAIL}' });`);
      expect(r.isError).toBe(true);
      expect(rawPrefix(r.text, EMAIL), r.text.slice(-300)).toBe('');
    }
  });

  it('an e-mail across the log byte limit shows no raw prefix', async () => {
    for (const pad of [4_070, 4_080, 4_090]) {
      const r = await execute(gateway.client, `console.log(' '.repeat(${pad}) + '${EMAIL} done'); return 1;`);
      expect(r.isError, r.text).toBe(false);
      expect(r.text).toContain('console output over the log limit was dropped');
      expect(rawPrefix(r.text, EMAIL), r.text.slice(-300)).toBe('');
    }
  });

  it('an e-mail across the log byte limit, streamed live, shows no raw prefix and carries the cut mark', async () => {
    for (const pad of [4_070, 4_080, 4_090]) {
      liveLines.length = 0;
      await execute(gateway.client, `console.log(' '.repeat(${pad}) + '${EMAIL} done'); return 1;`);
      expect(liveLines).toHaveLength(1);
      expect(liveLines[0]!.endsWith('…[cut]')).toBe(true);
      expect(rawPrefix(liveLines[0]!, EMAIL), liveLines[0]!.slice(-200)).toBe('');
    }
  });

  it('an e-mail across the 8,192-character message clip shows no raw prefix', async () => {
    for (const pad of [8_170, 8_180, 8_190]) {
      const r = await execute(gateway.client, `throw new Error(' '.repeat(${pad}) + '${EMAIL} at the end');`);
      expect(r.isError).toBe(true);
      expect(rawPrefix(r.text, EMAIL), r.text.slice(-300)).toBe('');
    }
  });

  it('keeps loopback and documentation addresses readable, and tokenizes a real one', async () => {
    const r = await execute(gateway.client, 'try { await echo.dbError(); } catch (e) { return e.message; }');
    expect(r.text).toContain('connect ECONNREFUSED 127.0.0.1:5432 (also tried ::1 and 203.0.113.7) for client [IP_1]');
  });

  it('a console line across the 8,192-character clip, streamed live, shows no raw prefix', async () => {
    liveLines.length = 0;
    for (const pad of [8_170, 8_180, 8_190]) await execute(gateway.client, `console.log(' '.repeat(${pad}) + '${EMAIL} at the end'); return 1;`);
    expect(liveLines).toHaveLength(3);
    for (const line of liveLines) expect(rawPrefix(line, EMAIL), line.slice(-200)).toBe('');
  });

  it('the audit log holds no raw prefix either', () => {
    const audit = readdirSync(auditDir).filter((f) => f.endsWith('.jsonl')).map((f) => readFileSync(path.join(auditDir, f), 'utf8')).join('\n');
    expect(audit).toContain('"errorCode"');
    expect(rawPrefix(audit, EMAIL)).toBe('');
    expect(audit).not.toContain('4111111111111111');
  });
});
