// The benchmark's workflows, each scripted both ways over the same fixture servers: direct (the
// model calls upstream tools one by one, in parallel where nothing depends on an earlier result)
// and cemcp (search, then execute programs). Both end in the same CRM state and the same answer.
import { extractMeetingFacts, MEETING, type ActionItem, type Attendee } from './fixtures/transcript.js';
import type { FixtureName as AnyFixture } from './fixtures/entry.js';
import { readJson, type ScriptedAgent } from './scripted-agent.js';

/** The fixtures the workflows use (the bulk one serves the speed measurement only). */
export type FixtureName = Exclude<AnyFixture, 'bulk'>;

export interface Workflow {
  readonly id: string;
  readonly title: string;
  readonly task: string;
  /** The fixture servers the agent is connected to (both ways). */
  readonly servers: readonly FixtureName[];
  direct(agent: ScriptedAgent): Promise<void>;
  /** `inlineApi`: execute's description already carries the typed API, so no search is needed. */
  cemcp(agent: ScriptedAgent, inlineApi: boolean): Promise<void>;
}

interface Contact { id: string; email: string; title: string; companyId: string; firstName: string; lastName: string }
interface DealSummary { id: string; name: string; amount: number }
interface Deal extends DealSummary { ownerId: string }
interface User { id: string; name: string; managerId: string }

const MEETING_DAY = MEETING.date;

function notesFor(name: string, items: readonly ActionItem[]): string {
  const mine = items.filter((i) => i.owner === name);
  return mine.length ? mine.map((i) => `- ${i.task} (due ${i.due})`).join('\n') : 'Attended; no action items.';
}

function meetingAnswer(updated: readonly string[], created: readonly string[], activities: number): string {
  return `Done. From "${MEETING.title}" (${MEETING_DAY}): updated ${updated.length} contacts (${updated.join(', ')}), `
    + `created ${created.length} (${created.join(', ')}), and logged ${activities} meeting activities with their action items.`;
}

const splitName = (name: string) => {
  const [firstName = '', ...rest] = name.split(' ');
  return { firstName, lastName: rest.join(' ') };
};

export const meetingNotesToCrm: Workflow = {
  id: 'meeting-notes-to-crm',
  servers: ['documents', 'crm'],
  title: '(a) meeting notes -> CRM (~50k-token transcript)',
  task: `The transcript of today's "${MEETING.title}" meeting is in our documents. Update the CRM: for each external attendee, `
    + `create the contact if missing or else update their title and last-contacted date (${MEETING_DAY}), then log a meeting activity `
    + 'with the action items assigned to them.',

  async direct(agent) {
    const [found] = await agent.act([{ name: 'documents__search_documents', arguments: { query: MEETING.title } }]);
    const documentId = readJson<{ documents: { id: string }[] }>(found).documents[0]!.id;
    const [doc] = await agent.act([{ name: 'documents__get_document', arguments: { documentId } }]);
    const { attendees, actionItems } = extractMeetingFacts(readJson<{ content: string }>(doc).content);
    const external = attendees.filter((a) => !a.internal);
    const searches = await agent.act(external.map((a) => ({ name: 'crm__search_contacts', arguments: { query: a.email } })),
      'I have the attendees and action items. Checking which attendees are already in the CRM.');
    const existing = searches.map((r) => readJson<{ contacts: Contact[] }>(r).contacts[0]);
    const upserts = await agent.act(external.map((a: Attendee, i) => {
      const contact = existing[i];
      return contact
        ? { name: 'crm__update_contact', arguments: { contactId: contact.id, title: a.title, lastContactedAt: MEETING_DAY } }
        : { name: 'crm__create_contact', arguments: { ...splitName(a.name), email: a.email, title: a.title, companyName: a.company } };
    }));
    const ids = upserts.map((r) => readJson<Contact>(r).id);
    await agent.act(external.map((a, i) => ({
      name: 'crm__log_activity',
      arguments: { type: 'meeting', contactId: ids[i], subject: MEETING.title, occurredAt: MEETING_DAY, notes: notesFor(a.name, actionItems) },
    })));
    const updated = external.filter((_, i) => existing[i]).map((a) => a.name);
    const created = external.filter((_, i) => !existing[i]).map((a) => a.name);
    agent.answer(meetingAnswer(updated, created, external.length));
  },

  async cemcp(agent, inlineApi) {
    if (!inlineApi) {
      await agent.act([
        { name: 'search', arguments: { query: 'find a document and read its content', queries: ['search documents', 'get document'] } },
        { name: 'search', arguments: { query: 'find, create and update CRM contacts, log a meeting activity', queries: ['search contacts', 'create contact', 'update contact', 'log activity'], limit: 6 } },
      ]);
    }
    // A model first looks at the document's shape before writing code that parses it.
    await agent.act([{ name: 'execute', arguments: { code: PEEK_PROGRAM } }]);
    const [result] = await agent.act([{ name: 'execute', arguments: { code: MEETING_PROGRAM } }]);
    const summary = readJson<{ updated: string[]; created: string[]; activities: number }>(result);
    agent.answer(meetingAnswer(summary.updated, summary.created, summary.activities));
  },
};

/** The cemcp way's programs, in JavaScript (workflows-python.ts has the same in Python). */
export const PEEK_PROGRAM = `const { documents: found } = await documents.search_documents({ query: ${JSON.stringify(MEETING.title)} });
const doc = await documents.get_document({ documentId: found[0].id });
const lines = doc.content.split('\\n');
return { id: doc.id, title: doc.title, lines: lines.length, head: lines.slice(0, 16), actionLines: lines.filter((l) => /action item/i.test(l)).slice(0, 3) };`;

export const MEETING_PROGRAM = `const { documents: found } = await documents.search_documents({ query: ${JSON.stringify(MEETING.title)} });
const { content } = await documents.get_document({ documentId: found[0].id });
const attendees = [...content.matchAll(/^- (.+?) <(.+?)>, (.+?), (.+?)( \\(internal\\))?$/gm)]
  .map(([, name, email, title, company, internal]) => ({ name, email, title, company, internal: !!internal }));
const items = [...content.matchAll(/Action item for (.+?): (.+?) by (\\d{4}-\\d{2}-\\d{2})\\./g)]
  .map(([, owner, task, due]) => ({ owner, task, due }));
const summary = { updated: [], created: [], activities: 0 };
for (const a of attendees.filter((a) => !a.internal)) {
  let contact = (await crm.search_contacts({ query: a.email })).contacts[0];
  if (contact) {
    await crm.update_contact({ contactId: contact.id, title: a.title, lastContactedAt: '${MEETING_DAY}' });
    summary.updated.push(a.name);
  } else {
    const [firstName, ...rest] = a.name.split(' ');
    contact = await crm.create_contact({ firstName, lastName: rest.join(' '), email: a.email, title: a.title, companyName: a.company });
    summary.created.push(a.name);
  }
  const mine = items.filter((i) => i.owner === a.name);
  await crm.log_activity({ type: 'meeting', contactId: contact.id, subject: ${JSON.stringify(MEETING.title)}, occurredAt: '${MEETING_DAY}',
    notes: mine.length ? mine.map((i) => \`- \${i.task} (due \${i.due})\`).join('\\n') : 'Attended; no action items.' });
  summary.activities++;
}
return summary;`;

const CHAIN_EMAIL = 'priya.raman@contoso.example';
const NEXT_STEP = 'Escalation call with Priya Raman';
const TASK_DUE = '2025-09-22';

function chainAnswer(deal: string, amount: number, owner: string, manager: string): string {
  return `Moved "${deal}" (EUR ${amount}) to negotiation and created a follow-up task due ${TASK_DUE} for ${manager}, manager of the deal owner ${owner}.`;
}

export const dealEscalationChain: Workflow = {
  id: 'deal-escalation-chain',
  servers: ['documents', 'crm'],
  title: '(b) 6-call dependent chain (deal escalation)',
  task: `Priya Raman (${CHAIN_EMAIL}) asked us to escalate her company's largest open deal. Move that deal to negotiation with the next step `
    + `"${NEXT_STEP}", and create a follow-up task due ${TASK_DUE} for the deal owner's manager.`,

  async direct(agent) {
    const [found] = await agent.act([{ name: 'crm__search_contacts', arguments: { query: CHAIN_EMAIL } }]);
    const contact = readJson<{ contacts: Contact[] }>(found).contacts[0]!;
    const [listed] = await agent.act([{ name: 'crm__list_deals', arguments: { companyId: contact.companyId, status: 'open' } }]);
    const biggest = readJson<{ deals: DealSummary[] }>(listed).deals.reduce((a, b) => (b.amount > a.amount ? b : a));
    const [detail] = await agent.act([
      { name: 'crm__get_deal', arguments: { dealId: biggest.id } },
      { name: 'crm__update_deal', arguments: { dealId: biggest.id, stage: 'negotiation', nextStep: NEXT_STEP } },
    ]);
    const deal = readJson<Deal>(detail);
    const owner = readJson<User>((await agent.act([{ name: 'crm__get_user', arguments: { userId: deal.ownerId } }]))[0]);
    const manager = readJson<User>((await agent.act([{ name: 'crm__get_user', arguments: { userId: owner.managerId } }]))[0]);
    await agent.act([{
      name: 'crm__log_activity',
      arguments: { type: 'task', subject: `Escalation: ${deal.name}`, contactId: contact.id, dealId: deal.id, assignedTo: manager.id, dueDate: TASK_DUE, notes: `Priya Raman asked to escalate. Deal owner: ${owner.name}.` },
    }]);
    agent.answer(chainAnswer(deal.name, deal.amount, owner.name, manager.name));
  },

  async cemcp(agent, inlineApi) {
    if (!inlineApi) {
      await agent.act([
        { name: 'search', arguments: { query: 'find a contact by email, then its company deals, and update a deal', queries: ['search contacts', 'list deals', 'get deal', 'update deal'], limit: 6 } },
        { name: 'search', arguments: { query: 'get a user and their manager, log a task activity', queries: ['get user', 'log activity'] } },
      ]);
    }
    const code = `const contact = (await crm.search_contacts({ query: '${CHAIN_EMAIL}' })).contacts[0];
const { deals } = await crm.list_deals({ companyId: contact.companyId, status: 'open' });
const biggest = deals.reduce((a, b) => (b.amount > a.amount ? b : a));
const deal = await crm.get_deal({ dealId: biggest.id });
await crm.update_deal({ dealId: deal.id, stage: 'negotiation', nextStep: '${NEXT_STEP}' });
const owner = await crm.get_user({ userId: deal.ownerId });
const manager = await crm.get_user({ userId: owner.managerId });
await crm.log_activity({ type: 'task', subject: \`Escalation: \${deal.name}\`, contactId: contact.id, dealId: deal.id, assignedTo: manager.id,
  dueDate: '${TASK_DUE}', notes: \`Priya Raman asked to escalate. Deal owner: \${owner.name}.\` });
return { deal: deal.name, amount: deal.amount, owner: owner.name, manager: manager.name };`;
    const [result] = await agent.act([{ name: 'execute', arguments: { code } }]);
    const r = readJson<{ deal: string; amount: number; owner: string; manager: string }>(result);
    agent.answer(chainAnswer(r.deal, r.amount, r.owner, r.manager));
  },
};

export const singleLookup: Workflow = {
  id: 'single-lookup',
  servers: ['documents', 'crm'],
  title: '(c) small payload, one call (title lookup)',
  task: "What is Priya Raman's job title?",

  async direct(agent) {
    const [found] = await agent.act([{ name: 'crm__search_contacts', arguments: { query: 'Priya Raman' } }]);
    agent.answer(`Priya Raman is ${readJson<{ contacts: Contact[] }>(found).contacts[0]!.title}.`);
  },

  async cemcp(agent, inlineApi) {
    if (!inlineApi) await agent.act([{ name: 'search', arguments: { query: 'find a contact by name', limit: 3 } }]);
    const code = "return (await crm.search_contacts({ query: 'Priya Raman' })).contacts[0].title;";
    const [result] = await agent.act([{ name: 'execute', arguments: { code } }]);
    agent.answer(`Priya Raman is ${result!.text}.`);
  },
};

/** The same lookup with only the CRM connected: small enough that auto mode inlines the typed API. */
export const singleLookupOneServer: Workflow = {
  ...singleLookup,
  id: 'single-lookup-one-server',
  title: '(d) same lookup, CRM server only (auto mode inlines the API)',
  servers: ['crm'],
};

export const WORKFLOWS: readonly Workflow[] = [meetingNotesToCrm, dealEscalationChain, singleLookup, singleLookupOneServer];
