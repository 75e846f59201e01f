// typecheck-eval {"kind":"wrong","class":"wrong-arg-name","line":5,"expect":["path"],"servers":["filesystem"]}
// Reads the README; the argument is called file instead of path.
const dirs = await filesystem.list_allowed_directories({});
const root: string = dirs.content.split("\n")[1] ?? "";
const readme = await filesystem.read_text_file({ file: `${root}/README.md` });
const title = readme.content.split("\n")[0]?.replace(/^#\s*/, "");
return { title };
