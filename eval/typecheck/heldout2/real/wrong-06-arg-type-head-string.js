// typecheck-eval {"kind":"wrong","class":"wrong-arg-type","line":5,"expect":["number"],"servers":["filesystem"]}
// Reads the first lines of the log with head given as a string.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const lines = "3";
const top = await filesystem.read_text_file({ path: `${root}/logs/app.log`, head: lines });
return top.content.split("\n");
