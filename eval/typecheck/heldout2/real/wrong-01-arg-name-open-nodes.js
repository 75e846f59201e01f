// typecheck-eval {"kind":"wrong","class":"wrong-arg-name","line":5,"expect":["names"],"servers":["memory"]}
// Creates two nodes then opens them by passing "nodes" instead of "names".
const names = ["h2w01-a", "h2w01-b"];
await memory.create_entities({ entities: names.map((name) => ({ name, entityType: "thing", observations: [] })) });
const opened = await memory.open_nodes({ nodes: names });
return opened.entities.length;
