// typecheck-eval {"kind":"wrong","class":"wrong-arg-type","line":5,"expect":["string[]"],"servers":["memory"]}
// Creates an entity with observations as one string instead of an array of strings.
const existing = await memory.search_nodes({ query: "hw06-Ops" });
if (existing.entities.length) return "exists";
await memory.create_entities({ entities: [{ name: "hw06-Ops", entityType: "team", observations: "on call this week" }] });
return "created";
