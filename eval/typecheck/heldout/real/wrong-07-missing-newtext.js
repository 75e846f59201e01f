// typecheck-eval {"kind":"wrong","class":"missing-arg","line":6,"expect":["newText"],"servers":["filesystem"]}
// Removes a line from the todo list with an edit that has no newText.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const todo = await filesystem.read_text_file({ path: `${root}/notes/todo.md` });
const done = todo.content.split("\n").find((l) => l.startsWith("- [x]"));
const res = await filesystem.edit_file({ path: `${root}/notes/todo.md`, edits: [{ oldText: done + "\n" }], dryRun: true });
return res.content;
