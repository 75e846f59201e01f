// typecheck-eval {"kind":"wrong","class":"wrong-enum","line":6,"expect":["\"resourceLink\"","\"resource\""],"servers":["filesystem","everything"]}
// Compresses the README, asking for an output type the tool does not have.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const readme = await filesystem.read_text_file({ path: `${root}/README.md` });
const data = "data:text/plain," + encodeURIComponent(readme.content);
const gz = await everything.gzip_file_as_resource({ name: "README.md.gz", data, outputType: "link" });
return gz;
