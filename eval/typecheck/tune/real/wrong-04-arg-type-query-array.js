// typecheck-eval {"kind":"wrong","class":"wrong-arg-type","line":5,"expect":["string"],"servers":["memory"]}
// Searches for two names at once by passing an array where query is a string.
const graph = await memory.read_graph({});
console.log(`graph has ${graph.entities.length} entities`);
const res = await memory.search_nodes({ query: ["Ada", "Grace"] });
return res.entities.map((e) => e.name);
