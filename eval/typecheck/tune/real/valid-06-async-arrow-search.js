async () => {
  // typecheck-eval {"kind":"valid","servers":["memory"]}
  await memory.create_entities({ entities: [{ name: "t06-Ken", entityType: "person", observations: ["benchmarks the index"] }] });
  const found = await memory.search_nodes({ query: "t06-Ken" });
  const names = found.entities.map((e) => e.name);
  const notes = found.entities.flatMap((e) => e.observations);
  return { names, notes };
}
