// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Read both notes at once and count their headings.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const paths = ["notes/todo.md", "notes/meeting-2026-11-18.md"].map((p) => `${root}/${p}`);
const res = await filesystem.read_multiple_files({ paths });
const sections = res.content.split(/\n(?=\/)/);
const summary = {};
for (const section of sections) {
  const name = section.slice(0, section.indexOf(":\n")).split("/").pop();
  summary[name] = (section.match(/^#+ /gm) || []).length;
}
return summary;
