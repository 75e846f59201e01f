// typecheck-eval {"kind":"wrong","class":"wrong-arg-name","line":6,"expect":["entityNames"],"servers":["memory"]}
// Deletes stale entities passing names instead of entityNames.
await memory.create_entities({ entities: [{ name: "hw02-stale", entityType: "temp", observations: [] }] });
const graph = await memory.read_graph({});
const stale: string[] = graph.entities.filter((e) => e.entityType === "temp").map((e) => e.name);
const res = await memory.delete_entities({ names: stale });
return res.message;
