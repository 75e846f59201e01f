// typecheck-eval {"kind":"wrong","class":"array-method-on-object","line":7,"expect":["relations"],"servers":["memory"]}
// Logs each created relation, calling forEach on the result object.
await memory.create_entities({ entities: [{ name: "hw25-web", entityType: "svc", observations: [] }, { name: "hw25-db", entityType: "db", observations: [] }] });
const created = await memory.create_relations({
  relations: [{ from: "hw25-web", to: "hw25-db", relationType: "reads" }],
});
created.forEach((r) => console.log(`${r.from} ${r.relationType} ${r.to}`));
return "linked";
