// typecheck-eval {"kind":"wrong","class":"wrong-arg-type","line":6,"expect":["string[]"],"servers":["filesystem"]}
// Reads both CSVs at once but joins the paths into one comma-separated string.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const listing = await filesystem.list_directory({ path: `${root}/data` });
const csvs = listing.content.split("\n").filter((l) => l.endsWith(".csv")).map((l) => `${root}/data/${l.slice(7)}`);
const both = await filesystem.read_multiple_files({ paths: csvs.join(",") });
return both.content.length;
