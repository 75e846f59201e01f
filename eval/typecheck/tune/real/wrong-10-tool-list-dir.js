// typecheck-eval {"kind":"wrong","class":"misspelled-tool","line":5,"expect":["list_directory"],"servers":["filesystem"]}
// Lists the data folder with a tool name that does not exist.
const allowed = await filesystem.list_allowed_directories({});
const root = allowed.content.split("\n")[1];
const entries = await filesystem.list_dir({ path: `${root}/data` });
return entries.content.split("\n").filter((l) => l.startsWith("[FILE]"));
