// typecheck-eval {"kind":"wrong","class":"misspelled-namespace","line":5,"expect":["memory"],"servers":["memory"]}
// Creates an entity, then searches through a capitalised namespace.
await memory.create_entities({ entities: [{ name: "hw13-Pipeline", entityType: "ci", observations: ["nightly"] }] });
const query = "hw13";
const hits = await Memory.search_nodes({ query });
return hits.entities.map((e) => e.name);
