// typecheck-eval {"kind":"wrong","class":"missing-field","line":5,"expect":["relations","CreateRelationsArgs"],"servers":["memory"]}
// Links two nodes and counts a "created" list the result does not have.
await memory.create_entities({ entities: [{ name: "h2w17-a", entityType: "t", observations: [] }, { name: "h2w17-b", entityType: "t", observations: [] }] });
const linked = await memory.create_relations({ relations: [{ from: "h2w17-a", to: "h2w17-b", relationType: "links" }] });
const n = linked.created.length;
return n;
