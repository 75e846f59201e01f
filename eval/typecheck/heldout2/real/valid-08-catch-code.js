// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Try several paths; report the size of the ones that exist and the error code of the others.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
async function probe(rel) {
  try {
    const f = await filesystem.read_text_file({ path: `${root}/${rel}` });
    return f.content.length;
  } catch (e) {
    return e.code;
  }
}
const paths = ["README.md", "data/missing.csv", "notes/todo.md"];
const results = {};
for (const p of paths) results[p] = await probe(p);
return results;
