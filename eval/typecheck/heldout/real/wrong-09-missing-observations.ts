// typecheck-eval {"kind":"wrong","class":"missing-arg","line":6,"expect":["observations"],"servers":["memory"]}
// Creates customer entities without the required observations list.
const graph = await memory.read_graph({});
const known = new Set(graph.entities.map((e) => e.name));
const customers = ["hw09-Acme", "hw09-Globex"].filter((n) => !known.has(n));
const created = await memory.create_entities({ entities: customers.map((name) => ({ name, entityType: "customer" })) });
return created.entities.length;
