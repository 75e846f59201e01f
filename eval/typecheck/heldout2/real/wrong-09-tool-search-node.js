// typecheck-eval {"kind":"wrong","class":"misspelled-tool","line":4,"expect":["search_nodes"],"servers":["memory"]}
// Creates a node and searches with a singular tool name.
await memory.create_entities({ entities: [{ name: "h2w09-needle", entityType: "thing", observations: ["hay"] }] });
const hits = await memory.search_node({ query: "h2w09-needle" });
return hits.entities.map((e) => e.name);
