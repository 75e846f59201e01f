// typecheck-eval {"kind":"wrong","class":"missing-field","line":5,"expect":["results"],"servers":["memory"]}
// Adds observations and reads a field add_observations does not return.
await memory.create_entities({ entities: [{ name: "hw19-Build", entityType: "build", observations: [] }] });
const res = await memory.add_observations({ observations: [{ entityName: "hw19-Build", contents: ["green", "12 min"] }] });
const count = res.added.length;
return count;
