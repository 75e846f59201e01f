// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Draft a note, then move it into an archive folder and confirm where it is.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
await filesystem.create_directory({ path: `${root}/archive-h15` });
await filesystem.write_file({ path: `${root}/notes/draft-h15.md`, content: "# Draft\n" });
await filesystem.move_file({ source: `${root}/notes/draft-h15.md`, destination: `${root}/archive-h15/draft-h15.md` });
const [notes, archive] = await Promise.all([
  filesystem.list_directory({ path: `${root}/notes` }),
  filesystem.list_directory({ path: `${root}/archive-h15` }),
]);
return { inNotes: notes.content.includes("draft-h15"), inArchive: archive.content.includes("draft-h15") };
