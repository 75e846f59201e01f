// typecheck-eval {"kind":"wrong","class":"misspelled-tool","line":4,"expect":["list_directory"],"servers":["filesystem"]}
// Lists data/ with a tool name that does not exist.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const listing = await filesystem.list_directories({ path: `${root}/data` });
return listing.content.split("\n").length;
