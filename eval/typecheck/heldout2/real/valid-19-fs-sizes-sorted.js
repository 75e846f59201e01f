// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// List data/ with sizes, parse the sizes and sort ascending by them.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const listing = await filesystem.list_directory_with_sizes({ path: `${root}/data`, sortBy: "name" });
const units = { B: 1, KB: 1024, MB: 1024 * 1024 };
const files = [];
for (const line of listing.content.split("\n")) {
  const m = line.match(/^\[FILE\]\s+(\S+)\s+([\d.]+)\s*(B|KB|MB)$/);
  if (m) files.push({ name: m[1], bytes: Math.round(parseFloat(m[2]) * units[m[3]]) });
}
files.sort((x, y) => x.bytes - y.bytes);
return { smallest: files[0]?.name, largest: files.at(-1)?.name, files };
