// typecheck-eval {"kind":"valid","servers":["memory"]}
// Build a small service graph and compute, for each node, who depends on it.
const names = ["h2v09-api", "h2v09-db", "h2v09-cache", "h2v09-worker"];
await memory.create_entities({ entities: names.map((name) => ({ name, entityType: "service", observations: [] })) });
await memory.create_relations({
  relations: [
    { from: "h2v09-api", to: "h2v09-db", relationType: "depends_on" },
    { from: "h2v09-api", to: "h2v09-cache", relationType: "depends_on" },
    { from: "h2v09-worker", to: "h2v09-db", relationType: "depends_on" },
  ],
});
const graph = await memory.open_nodes({ names });
const dependents = new Map<string, string[]>();
for (const r of graph.relations) {
  const list = dependents.get(r.to) ?? [];
  list.push(r.from);
  dependents.set(r.to, list);
}
const critical = [...dependents.entries()].sort((a, b) => b[1].length - a[1].length)[0]?.[0];
return { dependents: Object.fromEntries(dependents), critical };
