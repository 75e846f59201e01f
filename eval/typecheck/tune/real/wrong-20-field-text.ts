// typecheck-eval {"kind":"wrong","class":"missing-field","line":5,"expect":["content","ReadFileResult"],"servers":["filesystem"]}
// Reads the todo list and splits a text field the result does not have.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const todo = await filesystem.read_text_file({ path: `${root}/notes/todo.md` });
const lines = todo.text.split("\n");
return lines.filter((l) => l.startsWith("- [ ]")).length;
