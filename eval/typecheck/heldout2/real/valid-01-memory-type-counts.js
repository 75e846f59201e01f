// typecheck-eval {"kind":"valid","servers":["memory"]}
// Seed a few services and count them by entityType with a reduce into {}.
const seed = [
  ["h2v01-billing", "service"], ["h2v01-ledger", "service"], ["h2v01-ada", "person"], ["h2v01-pg", "database"],
];
await memory.create_entities({ entities: seed.map(([name, entityType]) => ({ name, entityType, observations: [`seeded as ${entityType}`] })) });
const found = await memory.search_nodes({ query: "h2v01-" });
const byType = found.entities.reduce((acc, e) => {
  acc[e.entityType] = (acc[e.entityType] || 0) + 1;
  return acc;
}, {});
const top = Object.entries(byType).sort((a, b) => b[1] - a[1])[0];
return { byType, mostCommon: top ? top[0] : null };
