// typecheck-eval {"kind":"wrong","class":"wrong-enum","line":5,"expect":["\"size\""],"servers":["filesystem"]}
// Sorts the data folder by modification time, which list_directory_with_sizes can't do.
const allowed = await filesystem.list_allowed_directories({});
const root = allowed.content.split("\n")[1];
const listing = await filesystem.list_directory_with_sizes({ path: `${root}/data`, sortBy: "modified" });
return listing.content;
