// typecheck-eval {"kind":"wrong","class":"forgotten-await","line":5,"expect":["await"],"servers":["filesystem"]}
// Checks whether the log is a file, without awaiting get_file_info.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const info = filesystem.get_file_info({ path: `${root}/logs/app.log` });
const isFile = info.content.includes("isFile: true");
return isFile;
