// typecheck-eval {"kind":"wrong","class":"missing-arg","line":6,"expect":["content"],"servers":["filesystem"]}
// Creates an empty placeholder file but leaves out the required content.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const listing = await filesystem.list_directory({ path: `${root}/notes` });
if (!listing.content.includes("placeholder.md")) {
  await filesystem.write_file({ path: `${root}/notes/placeholder.md` });
}
return "ok";
