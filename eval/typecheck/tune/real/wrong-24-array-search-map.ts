// typecheck-eval {"kind":"wrong","class":"array-method-on-object","line":5,"expect":["entities","ReadGraphResult"],"servers":["memory"]}
// Maps over search_nodes' wrapper object instead of its entities.
await memory.create_entities({ entities: [{ name: "w24-Router", entityType: "device", observations: ["rack 3"] }] });
const hits = await memory.search_nodes({ query: "w24-Router" });
const names = hits.map((h) => h.name);
return names;
