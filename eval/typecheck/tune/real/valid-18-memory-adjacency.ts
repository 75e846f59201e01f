// typecheck-eval {"kind":"valid","servers":["memory"]}
// Build who-reports-to-whom from relations and find the top of the chain.
await memory.create_entities({
  entities: ["t18-Ana", "t18-Bo", "t18-Cy"].map((name) => ({ name, entityType: "person", observations: [] })),
});
await memory.create_relations({
  relations: [
    { from: "t18-Bo", to: "t18-Ana", relationType: "reports_to" },
    { from: "t18-Cy", to: "t18-Bo", relationType: "reports_to" },
  ],
});
const { relations } = await memory.open_nodes({ names: ["t18-Ana", "t18-Bo", "t18-Cy"] });
const manager = new Map<string, string>();
for (const r of relations) if (r.relationType === "reports_to") manager.set(r.from, r.to);
let top = "t18-Cy";
const chain = [top];
while (manager.has(top)) { top = manager.get(top)!; chain.push(top); }
return { chain, top };
