// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Parse get_file_info's "key: value" lines and compute how old the file is.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const info = await filesystem.get_file_info({ path: `${root}/data/people.csv` });
const fields: Record<string, string> = Object.fromEntries(
  info.content.split("\n").map((line) => {
    const i = line.indexOf(":");
    return [line.slice(0, i).trim(), line.slice(i + 1).trim()];
  }),
);
const modified = new Date(fields["modified"] ?? "");
const ageMs = Date.now() - modified.getTime();
const size = Number(fields.size);
return { size, isFile: fields.isFile === "true", ageHours: Math.floor(ageMs / 3_600_000), kb: +(size / 1024).toFixed(2) };
