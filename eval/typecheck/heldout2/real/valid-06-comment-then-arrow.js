// typecheck-eval {"kind":"valid","servers":["memory"]}
async () => {
  const people = ["h2v06-Ada", "h2v06-Grace"];
  await memory.create_entities({ entities: people.map((name) => ({ name, entityType: "person", observations: [] })) });
  await memory.create_relations({ relations: [{ from: people[0], to: people[1], relationType: "mentors" }] });
  const graph = await memory.open_nodes({ names: people });
  const { relations = [], entities = [] } = graph;
  return { people: entities.map((e) => e.name).sort(), edges: relations.map((r) => `${r.from} -${r.relationType}-> ${r.to}`) };
}
