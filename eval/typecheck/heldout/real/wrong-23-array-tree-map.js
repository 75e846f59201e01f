// typecheck-eval {"kind":"wrong","class":"array-method-on-object","line":5,"expect":["content","ReadFileResult"],"servers":["filesystem"]}
// Maps over directory_tree's answer, which wraps the JSON text in an object.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const tree = await filesystem.directory_tree({ path: root });
const names = tree.map((node) => node.name);
return names;
