// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Write a small report file, read it back and check it landed intact.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const lines = ["# Weekly report", "", `generated: ${new Date(0).toISOString()}`, "status: green"];
const target = `${root}/notes/report-t11.md`;
await filesystem.write_file({ path: target, content: lines.join("\n") });
const back = await filesystem.read_text_file({ path: target });
const info = await filesystem.get_file_info({ path: target });
const size = Number(/size: (\d+)/.exec(info.content)?.[1]);
return { same: back.content === lines.join("\n"), size };
