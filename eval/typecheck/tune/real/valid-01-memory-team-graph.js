// typecheck-eval {"kind":"valid","servers":["memory"]}
// Record a small team in the knowledge graph, then count entities per type.
await memory.create_entities({
  entities: [
    { name: "t01-Ada", entityType: "person", observations: ["works on research"] },
    { name: "t01-Grace", entityType: "person", observations: ["owns the export format"] },
    { name: "t01-Billing", entityType: "project", observations: [] },
  ],
});
await memory.create_relations({
  relations: [
    { from: "t01-Ada", to: "t01-Billing", relationType: "works_on" },
    { from: "t01-Grace", to: "t01-Billing", relationType: "leads" },
  ],
});
const graph = await memory.read_graph({});
const byType = {};
for (const e of graph.entities) {
  if (!e.name.startsWith("t01-")) continue;
  byType[e.entityType] = (byType[e.entityType] || 0) + 1;
}
const leads = graph.relations.filter((r) => r.relationType === "leads").map((r) => `${r.from} -> ${r.to}`);
return { byType, leads };
