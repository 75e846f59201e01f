// typecheck-eval {"kind":"wrong","class":"wrong-arg-name","line":7,"expect":["entities"],"servers":["memory"]}
// Adds a person unless already known; the argument is called entity instead of entities.
const graph = await memory.read_graph({});
const known = new Set(graph.entities.map((e) => e.name));
const person = { name: "w01-Barbara", entityType: "person", observations: ["joined in November"] };
if (!known.has(person.name)) {
  await memory.create_entities({ entity: [person] });
}
return { added: !known.has(person.name) };
