// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Read every markdown note at once and count lines and headings per note.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const listing = await filesystem.list_directory({ path: `${root}/notes` });
const names = listing.content.split("\n").filter((l) => l.startsWith("[FILE]") && l.endsWith(".md")).map((l) => l.replace("[FILE] ", ""));
const texts = await Promise.all(names.map((n) => filesystem.read_text_file({ path: `${root}/notes/${n}` })));
const stats = names.map((name, i) => {
  const lines = texts[i]!.content.split("\n");
  return { name, lines: lines.length, headings: lines.filter((l) => l.startsWith("#")).length };
});
return stats.sort((a, b) => b.lines - a.lines);
