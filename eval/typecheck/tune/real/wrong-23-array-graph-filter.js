// typecheck-eval {"kind":"wrong","class":"array-method-on-object","line":5,"expect":["entities","ReadGraphResult"],"servers":["memory"]}
// Filters people out of read_graph's answer as if it were an array.
await memory.create_entities({ entities: [{ name: "w23-Eve", entityType: "person", observations: [] }] });
const graph = await memory.read_graph({});
const people = graph.filter((e) => e.entityType === "person");
return people.map((p) => p.name);
