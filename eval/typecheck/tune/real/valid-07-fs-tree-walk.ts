// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Walk the workspace tree (JSON text) and list every file with its folder.
const dirs = await filesystem.list_allowed_directories();
const root = dirs.content.split("\n")[1];
const tree = await filesystem.directory_tree({ path: root });
const nodes = JSON.parse(tree.content);
function walk(items, prefix, out) {
  for (const item of items) {
    if (item.type === "directory") walk(item.children || [], prefix + item.name + "/", out);
    else out.push(prefix + item.name);
  }
  return out;
}
const files: string[] = walk(nodes, "", []);
return { count: files.length, markdown: files.filter((f) => f.endsWith(".md")) };
