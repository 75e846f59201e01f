// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Preview ticking two todo items and count the changed lines in the diff.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const path = `${root}/notes/todo.md`;
const edits = ["fix refund rounding", "review on-call rota"].map((task) => ({ oldText: `- [ ] ${task}`, newText: `- [x] ${task}` }));
const preview = await filesystem.edit_file({ path, edits, dryRun: true });
const diffLines = preview.content.split("\n");
const removed = diffLines.filter((l) => l.startsWith("-") && !l.startsWith("---")).length;
const added = diffLines.filter((l) => l.startsWith("+") && !l.startsWith("+++")).length;
const after = await filesystem.read_text_file({ path });
return { removed, added, unchanged: after.content.includes("- [ ] fix refund rounding") };
