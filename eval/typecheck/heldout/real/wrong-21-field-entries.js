// typecheck-eval {"kind":"wrong","class":"missing-field","line":5,"expect":["content","ReadFileResult"],"servers":["filesystem"]}
// Counts the notes folder's entries through a field list_directory does not have.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const listing = await filesystem.list_directory({ path: `${root}/notes` });
const n = listing.entries.length;
return { notes: n };
