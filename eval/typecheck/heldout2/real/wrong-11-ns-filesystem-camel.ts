// typecheck-eval {"kind":"wrong","class":"misspelled-namespace","line":5,"expect":["filesystem"],"servers":["filesystem"]}
// Finds the root, then reads through a camel-cased namespace.
const allowed = await filesystem.list_allowed_directories({});
const root = allowed.content.split("\n")[1];
const todo = await fileSystem.read_text_file({ path: `${root}/notes/todo.md` });
return todo.content.length;
