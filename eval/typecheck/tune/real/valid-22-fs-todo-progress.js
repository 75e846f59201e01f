// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// How far along is the todo list?
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const { content } = await filesystem.read_text_file({ path: root + "/notes/todo.md" });
const items = [...content.matchAll(/^- \[( |x)\] (.+)$/gm)].map((m) => ({ done: m[1] === "x", text: m[2] }));
const done = items.filter((i) => i.done).length;
return { done, total: items.length, percent: Math.round((100 * done) / items.length), next: items.find((i) => !i.done)?.text };
