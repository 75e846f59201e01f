// typecheck-eval {"kind":"wrong","class":"missing-arg","line":5,"expect":["relationType"],"servers":["memory"]}
// Links two people without saying how they are related.
await memory.create_entities({ entities: [{ name: "w08-Ann", entityType: "person", observations: [] }, { name: "w08-Bob", entityType: "person", observations: [] }] });
const link = { from: "w08-Ann", to: "w08-Bob" };
const created = await memory.create_relations({ relations: [link] });
return created.relations.length;
