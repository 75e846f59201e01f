// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Turn get_file_info's text into an object and report sizes of the data files.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const names = ["people.csv", "orders.csv", "settings.json"];
const infos = await Promise.all(names.map((n) => filesystem.get_file_info({ path: `${root}/data/${n}` })));
const parsed = infos.map((info) => {
  const obj = {};
  for (const line of info.content.split("\n")) {
    const idx = line.indexOf(": ");
    if (idx > 0) obj[line.slice(0, idx)] = line.slice(idx + 2);
  }
  return obj;
});
return names.map((n, i) => ({ file: n, bytes: +parsed[i].size, isFile: parsed[i].isFile === "true" }));
