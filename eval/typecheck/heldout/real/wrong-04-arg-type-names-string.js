// typecheck-eval {"kind":"wrong","class":"wrong-arg-type","line":5,"expect":["string[]"],"servers":["memory"]}
// Opens one node passing its name as a bare string where names is an array.
await memory.create_entities({ entities: [{ name: "hw04-Ada", entityType: "person", observations: ["math"] }] });
const name = "hw04-Ada";
const found = await memory.open_nodes({ names: name });
return found.entities[0].observations;
