// typecheck-eval {"kind":"wrong","class":"array-method-on-object","line":6,"expect":["content","ReadFileResult"],"servers":["filesystem"]}
// Iterates over list_directory's answer as if it were an array of entries.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const listing = await filesystem.list_directory({ path: root });
const files = [];
listing.forEach((entry) => { if (entry.startsWith("[FILE]")) files.push(entry.slice(7)); });
return files;
