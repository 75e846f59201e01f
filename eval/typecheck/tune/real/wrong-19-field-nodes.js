// typecheck-eval {"kind":"wrong","class":"missing-field","line":5,"expect":["entities","ReadGraphResult"],"servers":["memory"]}
// Counts the graph's nodes through a field read_graph does not have.
await memory.create_entities({ entities: [{ name: "w19-Node", entityType: "thing", observations: [] }] });
const graph = await memory.read_graph({});
const count = graph.nodes.length;
return { count, edges: graph.relations.length };
