// typecheck-eval {"kind":"wrong","class":"wrong-arg-type","line":6,"expect":["number"],"servers":["filesystem"]}
// Shows the first lines of the log; head is given as a string.
const allowed = await filesystem.list_allowed_directories({});
const root = allowed.content.split("\n")[1];
const lines = "3";
const top = await filesystem.read_text_file({ path: `${root}/logs/app.log`, head: lines });
return top.content.split("\n");
