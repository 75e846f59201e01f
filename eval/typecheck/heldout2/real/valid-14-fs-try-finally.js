// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Write a report file, read it back, and always note what was attempted.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const steps = [];
let readBack;
try {
  await filesystem.create_directory({ path: `${root}/h2v14-out` });
  steps.push("mkdir");
  await filesystem.write_file({ path: `${root}/h2v14-out/report.txt`, content: "total=5\nok=4\n" });
  steps.push("write");
  readBack = (await filesystem.read_text_file({ path: `${root}/h2v14-out/report.txt` })).content;
} finally {
  steps.push("done");
}
const fields = Object.fromEntries(readBack.trim().split("\n").map((l) => l.split("=")).map(([k, v]) => [k, Number(v)]));
return { steps, fields };
