// typecheck-eval {"kind":"wrong","class":"array-method-on-object","line":6,"expect":["entities","ReadGraphResult"],"servers":["memory"]}
// Iterates the open_nodes result with forEach as if it were an array.
await memory.create_entities({ entities: [{ name: "h2w19-q", entityType: "thing", observations: ["x", "y"] }] });
const opened = await memory.open_nodes({ names: ["h2w19-q"] });
let total = 0;
opened.forEach((e: { observations: string[] }) => { total += e.observations.length; });
return total;
