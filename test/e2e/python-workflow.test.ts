// The meeting -> CRM workflow written in Python leaves the CRM exactly as the JavaScript one does.
// Each language gets its own built `cemcp serve` (stdio, official SDK client) with fresh documents
// and CRM fixture servers; the CRM's whole data is read from the file it writes after every call.
// On the way, the PII path: emails come back to the client as tokens, and a token in a later
// program's arguments reaches the CRM as the real address.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCrm, type CrmData } from '../../bench/fixtures/crm-data.js';
import { fixtureCommand } from '../../bench/fixtures/entry.js';
import { ATTENDEES, generateTranscript, MEETING } from '../../bench/fixtures/transcript.js';
import { PY_MEETING_PROGRAM, PY_PEEK_PROGRAM } from '../../bench/workflows-python.js';
import { MEETING_PROGRAM, PEEK_PROGRAM } from '../../bench/workflows.js';
import { tempDir, textOf } from './harness.js';
import { runAuditCli, startRecordedGateway } from './privacy-harness.js';

type Language = 'javascript' | 'python';
const TAG = 'q3-roadmap-review';

/** The follow-up a model writes from the tokens it was shown: tag each attendee, found by email. */
const TAG_PROGRAM: Record<Language, (tokens: readonly string[]) => string> = {
  javascript: (tokens) => `const tagged = [];
for (const email of ${JSON.stringify(tokens)}) {
  const contact = (await crm.search_contacts({ query: email })).contacts[0];
  await crm.update_contact({ contactId: contact.id, tags: [...contact.tags, '${TAG}'] });
  tagged.push(contact.email);
}
return tagged;`,
  python: (tokens) => `tagged = []
for email in ${JSON.stringify(tokens)}:
    contact = (await crm.search_contacts({"query": email}))["contacts"][0]
    await crm.update_contact({"contactId": contact["id"], "tags": contact["tags"] + ["${TAG}"]})
    tagged.append(contact["email"])
return tagged`,
};

const PROGRAMS: Record<Language, { peek: string; meeting: string }> = {
  javascript: { peek: PEEK_PROGRAM, meeting: MEETING_PROGRAM },
  python: { peek: PY_PEEK_PROGRAM, meeting: PY_MEETING_PROGRAM },
};

interface WorkflowRun {
  /** What the client was shown: the peek's and the meeting program's answers, the tagged emails. */
  readonly peek: { head: string[]; actionLines: string[]; lines: number };
  readonly summary: unknown;
  readonly tokens: string[];
  readonly tagged: unknown;
  /** Every message the gateway sent the client. */
  readonly received: string;
  /** The CRM's whole data after the workflow, as the CRM holds it. */
  readonly state: CrmData;
  /** The gateway's audit records of the three runs: PII tokenized in answers, tokens restored in arguments. */
  readonly pii: { tokenized: Record<string, number>; restored: number }[];
}

const EXTERNAL = ATTENDEES.filter((a) => !a.internal);

async function runWorkflow(language: Language): Promise<WorkflowRun> {
  const dir = tempDir(`cemcp-workflow-${language}-`);
  const stateFile = path.join(dir, 'crm-state.json');
  const config = path.join(dir, 'mcp.json');
  const crm = { ...(await fixtureCommand('crm')), env: { CRM_STATE_FILE: stateFile } };
  writeFileSync(config, JSON.stringify({ mcpServers: { documents: await fixtureCommand('documents'), crm }, cemcp: { python: { poolSize: 1, prestart: true } } }));
  const gateway = await startRecordedGateway(config);
  const execute = async (code: string): Promise<unknown> => {
    const args = language === 'python' ? { code, language } : { code };
    const result = (await gateway.client.callTool({ name: 'execute', arguments: args }, undefined, { timeout: 180_000 })) as CallToolResult;
    const text = textOf(result);
    if (result.isError) throw new Error(`${language} program failed: ${text}`);
    return JSON.parse(text) as unknown;
  };
  try {
    const peek = (await execute(PROGRAMS[language].peek)) as WorkflowRun['peek'];
    const summary = await execute(PROGRAMS[language].meeting);
    // The model saw the attendees' emails as tokens only; it writes those into the next program.
    const tokenOf = (name: string) => peek.head.map((line) => new RegExp(`^- ${name} <(\\[EMAIL_\\d+\\])>`).exec(line)?.[1]).find(Boolean);
    const tokens = EXTERNAL.map((a) => tokenOf(a.name) ?? `no token for ${a.name}`);
    const tagged = await execute(TAG_PROGRAM[language](tokens));
    const records = (await runAuditCli(['list', '--json', '--config', config])).trim().split('\n').map((line) => JSON.parse(line) as { time: string; pii: WorkflowRun['pii'][number] });
    const pii = records.sort((a, b) => a.time.localeCompare(b.time)).map((r) => r.pii);
    return { peek, summary, tokens, tagged, received: gateway.received.join('\n'), state: JSON.parse(readFileSync(stateFile, 'utf8')) as CrmData, pii };
  } finally {
    await gateway.close();
  }
}

describe('the meeting -> CRM workflow in Python and in JavaScript (cemcp serve over stdio, fixture servers)', () => {
  const runs: Partial<Record<Language, WorkflowRun>> = {};
  beforeAll(async () => {
    runs.javascript = await runWorkflow('javascript');
    runs.python = await runWorkflow('python');
  }, 420_000);

  const js = () => runs.javascript!;
  const py = () => runs.python!;

  it('leaves the CRM in the same end state from both languages, every record and field', () => {
    expect(py().state).toEqual(js().state);
    expect(py().summary).toEqual(js().summary);
    expect(py().summary).toEqual({
      updated: ['Maya Okafor', 'Leo Brandt', 'Priya Raman', 'Tomas Alvarez'],
      created: ['Hannah Fischer', 'Kenji Sato'],
      activities: 6,
    });
  });

  it('that state is the task done: each external attendee updated or created, tagged, and a meeting logged with their action items', () => {
    const { state } = py();
    const seed = seedCrm();
    const actionItems = generateTranscript().actionItems;
    expect(state.contacts.length).toBe(seed.contacts.length + 2);
    expect(state.activities.length).toBe(EXTERNAL.length);
    for (const attendee of EXTERNAL) {
      const contact = state.contacts.find((c) => c.email === attendee.email);
      expect(contact, attendee.email).toBeDefined();
      const before = seed.contacts.find((c) => c.email === attendee.email);
      expect(contact).toMatchObject({ title: attendee.title, tags: [...(before?.tags ?? []), TAG], lastContactedAt: before ? MEETING.date : null });
      if (!before) expect(contact!.companyName).toBe(attendee.company);
      const mine = actionItems.filter((i) => i.owner === attendee.name);
      const notes = mine.length ? mine.map((i) => `- ${i.task} (due ${i.due})`).join('\n') : 'Attended; no action items.';
      expect(state.activities.filter((a) => a.contactId === contact!.id)).toMatchObject([{ type: 'meeting', subject: MEETING.title, occurredAt: MEETING.date, notes }]);
    }
    // The rest of the CRM is as seeded.
    expect(state.deals).toEqual(seed.deals);
    expect(state.users).toEqual(seed.users);
  });

  it('shows the client tokens, never the addresses, and a token in arguments reaches the CRM as the real address', () => {
    for (const run of [js(), py()]) {
      expect(run.peek.head.filter((line) => /^- .+ <\[EMAIL_\d+\]>, /.test(line)).length).toBe(ATTENDEES.length);
      expect(run.tokens.every((t) => /^\[EMAIL_\d+\]$/.test(t))).toBe(true);
      // The CRM searched by the real address (the tag landed, above); the addresses it answered come back as the same tokens.
      expect(run.tagged).toEqual(run.tokens);
      for (const attendee of ATTENDEES) expect(run.received).not.toContain(attendee.email);
      expect(run.received).not.toMatch(/[\w.]+@[\w-]+\.example/);
      // The audit records agree: the peek's answer tokenized the attendees' addresses, the tag run restored one per attendee.
      expect(run.pii.map((p) => p.restored)).toEqual([0, 0, EXTERNAL.length]);
      expect(run.pii[0]!.tokenized['EMAIL']).toBeGreaterThanOrEqual(ATTENDEES.length);
    }
    expect(py().peek.actionLines).toEqual(js().peek.actionLines);
    expect(py().peek.lines).toBe(js().peek.lines);
  });
});
