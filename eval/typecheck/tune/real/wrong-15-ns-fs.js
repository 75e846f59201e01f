// typecheck-eval {"kind":"wrong","class":"misspelled-namespace","line":6,"expect":["filesystem"],"servers":["filesystem"]}
// Lists the workspace, then reads a file through fs, which is not a namespace here.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const listing = await filesystem.list_directory({ path: root });
const hasReadme = listing.content.includes("README.md");
const readme = hasReadme ? await fs.read_text_file({ path: `${root}/README.md` }) : null;
return readme?.content.length ?? 0;
