// typecheck-eval {"kind":"wrong","class":"wrong-arg-name","line":6,"expect":["names"],"servers":["memory"]}
// Opens the people found by a search; open_nodes takes names, not nodes.
const hits = await memory.search_nodes({ query: "person" });
const names = hits.entities.map((e) => e.name).slice(0, 5);
console.log(`opening ${names.length} nodes`);
const detail = await memory.open_nodes({ nodes: names });
return detail.entities.map((e) => ({ name: e.name, notes: e.observations.length }));
