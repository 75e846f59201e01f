// typecheck-eval {"kind":"wrong","class":"misspelled-tool","line":5,"expect":["read_graph"],"servers":["memory"]}
// Adds a note, then reads the graph with a camelCase tool name.
await memory.create_entities({ entities: [{ name: "hw11-Note", entityType: "note", observations: ["hi"] }] });
console.log("added");
const graph = await memory.readGraph({});
return graph.entities.length;
