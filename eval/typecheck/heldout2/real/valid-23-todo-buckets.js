// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Sort todo items into done and open, and find version numbers mentioned.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const { content } = await filesystem.read_text_file({ path: `${root}/notes/todo.md` });
const buckets = { done: [], open: [] };
for (const line of content.split("\n")) {
  const m = line.match(/^- \[( |x)\] (.*)$/);
  if (!m) continue;
  buckets[m[1] === "x" ? "done" : "open"].push(m[2]);
}
const versions = [...content.matchAll(/\b(\d+)(?:\.(\d+))+\b/g)].map((m) => m[0]);
return { ...buckets, progress: `${buckets.done.length}/${buckets.done.length + buckets.open.length}`, versions };
