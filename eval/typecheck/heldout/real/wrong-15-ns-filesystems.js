// typecheck-eval {"kind":"wrong","class":"misspelled-namespace","line":5,"expect":["filesystem"],"servers":["filesystem"]}
// Reads the allowed folders, then lists the logs folder through a plural namespace.
const allowed = await filesystem.list_allowed_directories({});
const root = allowed.content.split("\n")[1];
const logs = await filesystems.list_directory({ path: `${root}/logs` });
return logs.content;
