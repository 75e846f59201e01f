// typecheck-eval {"kind":"wrong","class":"forgotten-await","line":8,"expect":["await"],"servers":["memory"]}
// Searches for several names in a loop, forgetting to await each search.
await memory.create_entities({ entities: [{ name: "hw27-Ada", entityType: "person", observations: [] }] });
const names = ["hw27-Ada", "hw27-Bob"];
const found: string[] = [];
for (const name of names) {
  const r = memory.search_nodes({ query: name });
  found.push(...r.entities.map((e) => e.name));
}
return found;
