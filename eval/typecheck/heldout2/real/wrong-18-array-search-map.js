// typecheck-eval {"kind":"wrong","class":"array-method-on-object","line":4,"expect":["entities","ReadGraphResult"],"servers":["memory"]}
// Maps over the search result as if it were the list of entities.
await memory.create_entities({ entities: [{ name: "h2w18-p", entityType: "person", observations: [] }] });
const names = (await memory.search_nodes({ query: "h2w18-" })).map((e) => e.name);
return names;
