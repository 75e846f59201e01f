// typecheck-eval {"kind":"wrong","class":"wrong-enum","line":5,"expect":["\"size\""],"servers":["filesystem"]}
// Biggest files in data/, sorting with a capitalised enum value.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const dir = `${root}/data`;
const listing = await filesystem.list_directory_with_sizes({ path: dir, sortBy: "Size" });
return listing.content.split("\n").slice(0, 2);
