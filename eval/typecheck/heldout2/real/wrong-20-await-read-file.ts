// typecheck-eval {"kind":"wrong","class":"forgotten-await","line":5,"expect":["await"],"servers":["filesystem"]}
// Reads people.csv without awaiting the call, then splits the promise's content.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const file = filesystem.read_text_file({ path: `${root}/data/people.csv` });
const rows = file.content.split("\n").slice(1);
return rows.length;
