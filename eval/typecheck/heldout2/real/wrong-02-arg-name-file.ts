// typecheck-eval {"kind":"wrong","class":"wrong-arg-name","line":5,"expect":["path"],"servers":["filesystem"]}
// Reads the README with "file" instead of "path".
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const readme = `${root}/README.md`;
const text = await filesystem.read_text_file({ file: readme });
return text.content.split("\n")[0];
