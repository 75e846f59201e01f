// typecheck-eval {"kind":"valid","servers":["filesystem","memory"]}
// Turn the "Actions" of the meeting note into memory entities, one per owner.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const note = await filesystem.read_text_file({ path: `${root}/notes/meeting-2026-11-18.md` });
const sections = note.content.split(/^## /m).slice(1);
const actions = sections
  .filter((s) => s.startsWith("Actions"))
  .flatMap((s) => s.split("\n").slice(1))
  .map((l) => l.match(/^- (\w+): (.+)$/))
  .filter(Boolean)
  .map(([, owner, task]) => ({ owner, task }));
const created = await memory.create_entities({
  entities: actions.map((a) => ({ name: `h2v17-${a.owner}`, entityType: "owner", observations: [a.task] })),
});
return { actions, created: created.entities.map((e) => e.name) };
