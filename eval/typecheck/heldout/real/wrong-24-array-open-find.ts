// typecheck-eval {"kind":"wrong","class":"array-method-on-object","line":5,"expect":["entities","ReadGraphResult"],"servers":["memory"]}
// Looks for one entity with .find on open_nodes' wrapper object.
await memory.create_entities({ entities: [{ name: "hw24-a", entityType: "x", observations: [] }, { name: "hw24-b", entityType: "y", observations: [] }] });
const res = await memory.open_nodes({ names: ["hw24-a", "hw24-b"] });
const b = res.find((e) => e.name === "hw24-b");
return b?.entityType;
