// typecheck-eval {"kind":"wrong","class":"misspelled-tool","line":5,"expect":["read_text_file"],"servers":["filesystem"]}
// Reads the README through a tool name that does not exist.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const listing = await filesystem.list_directory({ path: root });
const readme = listing.content.includes("README.md") ? await filesystem.read_text({ path: `${root}/README.md` }) : null;
return readme;
