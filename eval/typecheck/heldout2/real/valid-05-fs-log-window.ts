// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// How long the log spans, and the minutes between the first and last ERROR.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const log = await filesystem.read_text_file({ path: `${root}/logs/app.log` });
interface Entry { at: Date; level: string; message: string }
const entries: Entry[] = [];
for (const line of log.content.split("\n")) {
  const m = /^(\S+)\s+(INFO|WARN|ERROR)\s+(.*)$/.exec(line);
  if (m) entries.push({ at: new Date(m[1]!), level: m[2]!, message: m[3]! });
}
const errors = entries.filter((e) => e.level === "ERROR");
const spanMinutes = (entries[entries.length - 1]!.at.getTime() - entries[0]!.at.getTime()) / 60000;
const errorGap = errors.length > 1 ? (errors[errors.length - 1]!.at.getTime() - errors[0]!.at.getTime()) / 60000 : 0;
return { spanMinutes: Math.round(spanMinutes), errorGapMinutes: errorGap, firstError: errors[0]?.message };
