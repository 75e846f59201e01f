// typecheck-eval {"kind":"valid","servers":["filesystem","memory"]}
// Put the attendees of the planning meeting into the knowledge graph, linked to the meeting.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const notes = await filesystem.read_text_file({ path: `${root}/notes/meeting-2026-11-18.md` });
const title = notes.content.match(/^# (.+)$/m)[1];
const attendees = notes.content.match(/^Attendees: (.+)$/m)[1].split(",").map((s) => s.trim());
const meeting = `h01-${title}`;
await memory.create_entities({
  entities: [
    { name: meeting, entityType: "meeting", observations: [title] },
    ...attendees.map((a) => ({ name: `h01-${a}`, entityType: "person", observations: [] })),
  ],
});
const { relations } = await memory.create_relations({
  relations: attendees.map((a) => ({ from: `h01-${a}`, to: meeting, relationType: "attended" })),
});
return { meeting, linked: relations.length };
