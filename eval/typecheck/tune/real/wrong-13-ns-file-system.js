// typecheck-eval {"kind":"wrong","class":"misspelled-namespace","line":5,"expect":["filesystem"],"servers":["filesystem"]}
// Reads the settings through a namespace spelled with an underscore.
const dirs = await filesystem.list_allowed_directories({});
const root = dirs.content.split("\n")[1];
const file = await file_system.read_text_file({ path: `${root}/data/settings.json` });
return JSON.parse(file.content).version;
