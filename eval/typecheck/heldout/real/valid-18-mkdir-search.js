// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Create a reports folder with two files and find them by pattern.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const dir = `${root}/reports-h18`;
await filesystem.create_directory({ path: dir });
await Promise.all(["2026-10", "2026-11"].map((m) => filesystem.write_file({ path: `${dir}/sales-${m}.txt`, content: `sales ${m}\n` })));
const found = await filesystem.search_files({ path: dir, pattern: "sales-*.txt" });
const files = found.content.split("\n").filter((l) => l.includes("sales-")).map((p) => p.split("/").pop()).sort();
return files;
