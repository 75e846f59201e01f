// typecheck-eval {"kind":"wrong","class":"misspelled-tool","line":6,"expect":["create_entities"],"servers":["memory"]}
// Creates one entity through a singular tool name.
const existing = await memory.search_nodes({ query: "w11-Invoice" });
if (existing.entities.length > 0) return "already there";
const entity = { name: "w11-Invoice", entityType: "document", observations: ["draft"] };
await memory.create_entity({ entities: [entity] });
return "created";
