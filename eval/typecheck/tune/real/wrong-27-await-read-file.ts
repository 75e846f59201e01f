// typecheck-eval {"kind":"wrong","class":"forgotten-await","line":5,"expect":["await"],"servers":["filesystem"]}
// Reads the meeting notes without awaiting, then splits the promise's content.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const notes = filesystem.read_text_file({ path: `${root}/notes/meeting-2026-11-18.md` });
const actions = notes.content.split("\n").filter((l) => l.startsWith("- ") && l.includes(":"));
return actions;
