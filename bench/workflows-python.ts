// The meeting -> CRM workflow's two programs written in Python (`execute` with language "python"):
// the same calls, in the same order and with the same arguments, as PEEK_PROGRAM and
// MEETING_PROGRAM in workflows.ts, so both leave the CRM in the same state. Imported by tests.
import { MEETING } from './fixtures/transcript.js';

const TITLE = JSON.stringify(MEETING.title);

/** A look at the document's shape before writing the program that parses it. */
export const PY_PEEK_PROGRAM = `import re
found = (await documents.search_documents({"query": ${TITLE}}))["documents"]
doc = await documents.get_document({"documentId": found[0]["id"]})
lines = doc["content"].split("\\n")
action_lines = [l for l in lines if re.search(r"action item", l, re.I)]
return {"id": doc["id"], "title": doc["title"], "lines": len(lines), "head": lines[:16], "actionLines": action_lines[:3]}`;

/** Reads the transcript, then for each external attendee updates or creates the contact and logs the meeting. */
export const PY_MEETING_PROGRAM = `import re
found = (await documents.search_documents({"query": ${TITLE}}))["documents"]
content = (await documents.get_document({"documentId": found[0]["id"]}))["content"]
attendees = [
    {"name": name, "email": email, "title": title, "company": company, "internal": bool(internal)}
    for name, email, title, company, internal in re.findall(r"^- (.+?) <(.+?)>, (.+?), (.+?)( \\(internal\\))?$", content, re.M)
]
items = [{"owner": owner, "task": task, "due": due}
         for owner, task, due in re.findall(r"Action item for (.+?): (.+?) by (\\d{4}-\\d{2}-\\d{2})\\.", content)]
summary = {"updated": [], "created": [], "activities": 0}
for a in attendees:
    if a["internal"]:
        continue
    matches = (await crm.search_contacts({"query": a["email"]}))["contacts"]
    if matches:
        contact = matches[0]
        await crm.update_contact({"contactId": contact["id"], "title": a["title"], "lastContactedAt": "${MEETING.date}"})
        summary["updated"].append(a["name"])
    else:
        first, _, last = a["name"].partition(" ")
        contact = await crm.create_contact({"firstName": first, "lastName": last, "email": a["email"],
                                            "title": a["title"], "companyName": a["company"]})
        summary["created"].append(a["name"])
    mine = [i for i in items if i["owner"] == a["name"]]
    notes = "\\n".join(f"- {i['task']} (due {i['due']})" for i in mine) if mine else "Attended; no action items."
    await crm.log_activity({"type": "meeting", "contactId": contact["id"], "subject": ${TITLE},
                            "occurredAt": "${MEETING.date}", "notes": notes})
    summary["activities"] += 1
return summary`;
