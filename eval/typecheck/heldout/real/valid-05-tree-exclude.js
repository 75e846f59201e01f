// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Folder sizes (file counts) of the workspace, ignoring markdown files.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const tree = await filesystem.directory_tree({ path: root, excludePatterns: ["**/*.md"] });
const top = JSON.parse(tree.content);
const count = (node) => (node.type === "file" ? 1 : (node.children ?? []).reduce((s, c) => s + count(c), 0));
const folders = {};
for (const node of top) if (node.type === "directory") folders[node.name] = count(node);
return folders;
