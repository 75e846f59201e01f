// typecheck-eval {"kind":"wrong","class":"misspelled-namespace","line":4,"expect":["memory"],"servers":["memory"]}
// Creates a node, then reads the graph through a shortened namespace.
await memory.create_entities({ entities: [{ name: "h2w12-n", entityType: "thing", observations: [] }] });
const graph = await mem.read_graph({});
return graph.entities.length;
