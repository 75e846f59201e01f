// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// File sizes with defensive parsing: a missing file gives null, not a crash.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const names = ["data/people.csv", "data/missing.csv", "README.md"];
const sizes = {};
for (const name of names) {
  const info = await filesystem.get_file_info({ path: `${root}/${name}` }).catch(() => null);
  sizes[name] = Number(info?.content?.match(/^size: (\d+)/m)?.[1] ?? NaN) || null;
}
return sizes;
