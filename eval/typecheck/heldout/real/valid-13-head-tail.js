// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// First and last lines of the log, without reading the whole file.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const path = `${root}/logs/app.log`;
const [first, last] = await Promise.all([
  filesystem.read_text_file({ path, head: 2 }),
  filesystem.read_text_file({ path, tail: 2 }),
]);
const stamp = (l) => l.slice(0, 20);
return { started: stamp(first.content.split("\n")[0]), lastLines: last.content.trim().split("\n").map(stamp) };
