// typecheck-eval {"kind":"wrong","class":"wrong-arg-type","line":4,"expect":["string[]","array"],"servers":["memory"]}
// Opens one node passing its name as a string rather than a list.
await memory.create_entities({ entities: [{ name: "h2w05-solo", entityType: "thing", observations: [] }] });
const node = await memory.open_nodes({ names: "h2w05-solo" });
return node.entities[0].name;
