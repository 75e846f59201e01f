// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// A small archive helper: copy notes into an archive folder, tolerating a missing source.
class Archiver {
  moved: string[] = [];
  failed: Record<string, string> = {};
  constructor(private root: string) {}
  async archive(name: string) {
    try {
      const text = await filesystem.read_text_file({ path: `${this.root}/notes/${name}` });
      await filesystem.write_file({ path: `${this.root}/h2v30-archive/${name}`, content: text.content });
      this.moved.push(name);
    } catch (e: any) {
      this.failed[name] = e.code ?? "unknown";
    }
  }
}
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1]!;
await filesystem.create_directory({ path: `${root}/h2v30-archive` });
const a = new Archiver(root);
for (const n of ["todo.md", "missing.md"]) await a.archive(n);
const listing = await filesystem.list_directory({ path: `${root}/h2v30-archive` });
return { moved: a.moved, failed: a.failed, listed: listing.content.split("\n").length };
