// typecheck-eval {"kind":"valid","servers":["memory"]}
// Add observations to two people and group every observation by its first word.
await memory.create_entities({ entities: [
  { name: "h2v21-Ada", entityType: "person", observations: ["likes maths"] },
  { name: "h2v21-Ken", entityType: "person", observations: ["writes compilers"] },
] });
const added = await memory.add_observations({ observations: [
  { entityName: "h2v21-Ada", contents: ["likes engines", "writes notes"] },
  { entityName: "h2v21-Ken", contents: ["likes chess"] },
] });
const graph = await memory.search_nodes({ query: "h2v21-" });
const byVerb = {};
for (const e of graph.entities) {
  for (const o of e.observations) {
    const verb = o.split(" ")[0];
    (byVerb[verb] ??= []).push(e.name);
  }
}
return { addedCount: added.results.reduce((n, r) => n + r.addedObservations.length, 0), byVerb };
