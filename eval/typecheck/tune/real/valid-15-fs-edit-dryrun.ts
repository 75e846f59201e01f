// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Preview ticking off a todo item without writing the file.
const allowed = await filesystem.list_allowed_directories({});
const root: string = allowed.content.split("\n")[1] ?? "";
const todo = await filesystem.read_text_file({ path: `${root}/notes/todo.md` });
const open = todo.content.split("\n").filter((l) => l.startsWith("- [ ]"));
const first = open[0];
if (!first) return "nothing to do";
const preview = await filesystem.edit_file({
  path: `${root}/notes/todo.md`,
  edits: [{ oldText: first, newText: first.replace("[ ]", "[x]") }],
  dryRun: true,
});
return { item: first.slice(6), diffLines: preview.content.split("\n").filter((l) => /^[+-](?![+-]{2})/.test(l)) };
