// typecheck-eval {"kind":"wrong","class":"wrong-enum","line":4,"expect":["\"name\"","\"size\""],"servers":["filesystem"]}
// Lists data/ sorted by a key the tool doesn't offer.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const listing = await filesystem.list_directory_with_sizes({ path: `${root}/data`, sortBy: "modified" });
return listing.content;
