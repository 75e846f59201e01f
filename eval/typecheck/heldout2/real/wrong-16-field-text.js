// typecheck-eval {"kind":"wrong","class":"missing-field","line":5,"expect":["content"],"servers":["filesystem"]}
// Reads the todo note and splits a "text" field instead of "content".
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const note = await filesystem.read_text_file({ path: `${root}/notes/todo.md` });
const items = note.text.split("\n").filter((l) => l.startsWith("- "));
return items.length;
