// typecheck-eval {"kind":"wrong","class":"missing-arg","line":5,"expect":["destination"],"servers":["filesystem"]}
// Writes a scratch file and moves it without saying where to.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
await filesystem.write_file({ path: `${root}/h2w08.txt`, content: "scratch" });
const moved = await filesystem.move_file({ source: `${root}/h2w08.txt` });
return moved.content;
