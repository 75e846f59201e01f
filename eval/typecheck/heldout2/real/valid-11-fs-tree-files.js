// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Walk the JSON directory tree and list every file with its folder.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const tree = JSON.parse((await filesystem.directory_tree({ path: root })).content);
function walk(nodes, prefix, out) {
  for (const node of nodes) {
    const here = prefix ? `${prefix}/${node.name}` : node.name;
    if (node.type === "directory") walk(node.children || [], here, out);
    else out.push(here);
  }
  return out;
}
const files = walk(tree, "", []);
const byExt = {};
for (const f of files) {
  const ext = f.includes(".") ? f.slice(f.lastIndexOf(".") + 1) : "(none)";
  byExt[ext] = [...(byExt[ext] || []), f];
}
return { count: files.length, byExt };
