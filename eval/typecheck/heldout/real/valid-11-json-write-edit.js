// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Write a JSON status file, bump one value with edit_file, and parse it back.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const file = `${root}/data/status-h11.json`;
await filesystem.write_file({ path: file, content: JSON.stringify({ build: 41, green: true }, null, 2) });
await filesystem.edit_file({ path: file, edits: [{ oldText: '"build": 41', newText: '"build": 42' }] });
const status = JSON.parse((await filesystem.read_text_file({ path: file })).content);
return status.build === 42 && status.green ? "bumped" : status;
