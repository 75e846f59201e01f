// typecheck-eval {"kind":"wrong","class":"wrong-arg-name","line":6,"expect":["source","destination"],"servers":["filesystem"]}
// Archives the todo list with from/to instead of source/destination.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
await filesystem.create_directory({ path: `${root}/old-hw01` });
const from = `${root}/notes/todo.md`;
await filesystem.move_file({ from, to: `${root}/old-hw01/todo.md` });
return "archived";
