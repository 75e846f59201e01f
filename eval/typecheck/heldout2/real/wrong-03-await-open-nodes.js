// typecheck-eval {"kind":"wrong","class":"forgotten-await","line":5,"expect":["await"],"servers":["memory"]}
// Creates a node, then forgets to await open_nodes before counting.
await memory.create_entities({ entities: [{ name: "h2w03-x", entityType: "thing", observations: ["one"] }] });
const found = memory.open_nodes({ names: ["h2w03-x"] });
const count = found.entities.length;
return { count };
