// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Count log lines per level and how long the log spans.
const { content: dirText } = await filesystem.list_allowed_directories({});
const root = dirText.split(/\r?\n/)[1];
const log = await filesystem.read_text_file({ path: root + "/logs/app.log" });
const counts = { INFO: 0, WARN: 0, ERROR: 0 };
const times = [];
for (const line of log.content.split("\n")) {
  const m = line.match(/^(\S+) (INFO|WARN|ERROR) (.*)$/);
  if (!m) continue;
  counts[m[2]]++;
  times.push(new Date(m[1]).getTime());
}
const spanMinutes = Math.round((Math.max(...times) - Math.min(...times)) / 60000);
const errors = log.content.split("\n").filter((l) => l.includes(" ERROR ")).map((l) => l.slice(27));
return { counts, spanMinutes, errors };
