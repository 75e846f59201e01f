// typecheck-eval {"kind":"valid","servers":["memory"]}
// Add a few tools to the graph and list the distinct entity types that mention "kernel".
await memory.create_entities({
  entities: [
    { name: "t13-Linux", entityType: "software", observations: ["kernel", "C"] },
    { name: "t13-Linus", entityType: "person", observations: ["kernel maintainer"] },
  ],
});
const hits = await memory.search_nodes({ query: "kernel" });
const types = new Set(hits.entities.map((e) => e.entityType));
const mine = hits.entities.filter((e) => e.name.startsWith("t13-"));
return { types: [...types].sort(), mine: mine.length, relations: hits.relations.length };
