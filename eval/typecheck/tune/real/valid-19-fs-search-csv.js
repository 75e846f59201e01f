// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Find every CSV in the workspace and count its data rows.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const found = await filesystem.search_files({ path: root, pattern: "**/*.csv" });
const paths = found.content.split("\n").filter((p) => p.startsWith("/"));
const counts = {};
for (const p of paths) {
  const { content } = await filesystem.read_text_file({ path: p });
  counts[p.slice(root.length + 1)] = content.trim().split("\n").length - 1;
}
return counts;
