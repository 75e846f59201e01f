// typecheck-eval {"kind":"wrong","class":"missing-arg","line":5,"expect":["content"],"servers":["filesystem"]}
// Creates a folder and then writes a file without its content.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
await filesystem.create_directory({ path: `${root}/h2w07` });
const written = await filesystem.write_file({ path: `${root}/h2w07/empty.txt` });
return written.content;
