// typecheck-eval {"kind":"wrong","class":"misspelled-namespace","line":5,"expect":["memory"],"servers":["memory"]}
// Creates an entity, then reads the graph from a plural namespace.
await memory.create_entities({ entities: [{ name: "w14-Task", entityType: "task", observations: ["open"] }] });
console.log("created");
const graph = await memories.read_graph({});
return graph.entities.length;
