// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Log lines per hour, with the hour label zero-padded.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const log = (await filesystem.read_text_file({ path: `${root}/logs/app.log` })).content;
const perHour = {};
log.split("\n").filter(Boolean).forEach((line) => {
  const hour = new Date(line.split(" ")[0]).getUTCHours();
  const key = `${String(hour).padStart(2, "0")}:00`;
  perHour[key] = (perHour[key] || 0) + 1;
});
return Object.entries(perHour).sort(([a], [b]) => a.localeCompare(b)).map(([hour, n]) => `${hour} ${"#".repeat(n)}`);
