// typecheck-eval {"kind":"wrong","class":"wrong-arg-name","line":5,"expect":["pattern"],"servers":["filesystem"]}
// Finds markdown notes, giving the glob as query instead of pattern.
const dirs = await filesystem.list_allowed_directories({});
const root = dirs.content.split("\n")[1];
const found = await filesystem.search_files({ path: root, query: "**/*.md" });
return found.content.split("\n");
