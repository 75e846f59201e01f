// typecheck-eval {"kind":"wrong","class":"missing-field","line":5,"expect":["success","message"],"servers":["memory"]}
// Deletes an entity and reports a deleted list the result does not have.
await memory.create_entities({ entities: [{ name: "hw20-tmp", entityType: "temp", observations: [] }] });
const res = await memory.delete_entities({ entityNames: ["hw20-tmp"] });
const gone = res.deleted.join(", ");
return `deleted ${gone}`;
