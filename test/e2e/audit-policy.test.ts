// Policy, flags and the audit CLI over stdio: a destructive call confirmed through MCP elicitation
// (and refused by a client that cannot be asked), a denied call naming its rule, probe and volume
// flags sent as MCP logging notifications, and `cemcp audit` filtering what two real sessions wrote.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, tempDir, writeConfig } from './harness.js';
import { crmEntry, runAuditCli, startRecordedGateway, type RecordedGateway } from './privacy-harness.js';

interface Record_ {
  id: string;
  session: { id: string };
  ok: boolean;
  flags: { kind: string; message: string }[];
  calls: { server: string; tool: string; ok: boolean; errorCode?: string }[];
  operations?: Record<string, number>;
  refused?: Record<string, number>;
}

describe('policy and flags', () => {
  let configFile: string;
  let asking: RecordedGateway;
  let mute: RecordedGateway;

  beforeAll(async () => {
    const dir = tempDir('cemcp-audit-');
    configFile = writeConfig(dir, crmEntry(path.join(dir, 'outbox.jsonl')), {
      policy: { deny: ['crm.run_*'], destructive: 'confirm' },
      audit: { dir: 'audit-log', flags: { maxCalls: 5 } },
    });
    [asking, mute] = await Promise.all([
      startRecordedGateway(configFile, { elicit: (message) => message.includes('crm.delete_contact') }),
      startRecordedGateway(configFile),
    ]);
  });

  afterAll(async () => {
    await Promise.all([asking?.close(), mute?.close()]);
  });

  it('asks the user through elicitation before a destructive call, once per run, and flags it', async () => {
    const result = await execute(asking.client, `
      const a = await crm.delete_contact({ email: 'nobody@example.com' });
      const b = await crm.delete_contact({ email: 'alan@bletchley.example' });
      return [a, b];`);
    expect(result).toEqual({ text: '[{"deleted":false},{"deleted":true}]', isError: false });
    expect(asking.elicitations).toHaveLength(1);
    expect(asking.elicitations[0]).toContain('crm.delete_contact (annotated destructive)');
    expect(asking.elicitations[0]).not.toMatch(/@/);
    expect(asking.logs).toContainEqual({ flag: 'destructive', message: 'called crm.delete_contact, annotated destructive', auditId: expect.any(String) });
  });

  it('refuses a call that needs confirmation when the client cannot be asked', async () => {
    const result = await execute(mute.client, `await crm.delete_contact({ email: 'ada.lovelace@analytical.example' });`);
    expect(result.isError).toBe(true);
    expect(result.text).toContain('ToolError [POLICY_DENIED]: crm.delete_contact: policy rule destructive: "confirm" needs the user\'s confirmation, and this client cannot be asked');
  });

  it('refuses a denied call with a ToolError naming the rule, and flags the shell-like tool', async () => {
    const result = await execute(asking.client, `try { await crm.run_command({ command: 'rm -rf /' }); } catch (e) { return e.code + ' ' + e.message; }`);
    expect(result.text).toBe('POLICY_DENIED crm.run_command: denied by policy rule deny "crm.run_*"');
    const kinds = asking.logs.map((l) => (l as { flag: string }).flag);
    expect(kinds).toContain('shell');
    expect(kinds).toContain('policy');
  });

  it('flags a program that probes for process or the Function constructor, and unusual call volume', async () => {
    const probe = await execute(asking.client, `const F = (async () => {}).constructor;\nreturn typeof process;`);
    expect(probe.text).toBe('undefined');
    const volume = await execute(asking.client, `for (let i = 0; i < 6; i++) await crm.list_contacts({});\nreturn 'ok';`);
    expect(volume.text).toBe('ok');
    const messages = asking.logs.map((l) => (l as { message: string }).message);
    expect(messages).toContain('program accesses .constructor (line 1)');
    expect(messages).toContain('program references process (line 2)');
    expect(messages).toContain('6 tool calls in one run (threshold 5)');
  });

  it('`cemcp audit` lists, filters by flag, session, tool and time, and shows a record', async () => {
    const all = (await runAuditCli(['--json', '--config', configFile])).trim().split('\n').map((l) => JSON.parse(l) as Record_);
    expect(all).toHaveLength(5);
    expect(new Set(all.map((r) => r.session.id)).size).toBe(2);

    const refused = (await runAuditCli(['list', '--flag', 'policy', '--json', '--config', configFile])).trim().split('\n').map((l) => JSON.parse(l) as Record_);
    // Refused calls are counted, not listed: by operation and by code.
    expect(refused.flatMap((r) => Object.keys(r.operations ?? {})).sort()).toEqual(['crm.delete_contact', 'crm.run_command']);
    expect(refused.every((r) => r.refused?.POLICY_DENIED === 1 && r.calls.length === 0)).toBe(true);

    const muteSession = all.find((r) => !r.ok)!.session.id;
    const ofMute = (await runAuditCli(['list', '--session', muteSession.slice(0, 16), '--json', '--config', configFile])).trim().split('\n');
    expect(ofMute).toHaveLength(1);

    const text = await runAuditCli(['list', '--tool', 'list_contacts', '--since', '1h', '--config', configFile]);
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).toContain('flags=call-volume');
    expect(await runAuditCli(['list', '--until', '2000-01-01', '--config', configFile])).toMatch(/^no audit records match in .*audit-log/);

    const shown = await runAuditCli(['show', refused[0]!.id, '--config', configFile]);
    expect(shown).toContain('[policy] refused crm.');
  });
});
