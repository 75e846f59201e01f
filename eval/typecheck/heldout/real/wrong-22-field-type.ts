// typecheck-eval {"kind":"wrong","class":"missing-field","line":5,"expect":["entityType"],"servers":["memory"]}
// Reads an entity's type as .type; the field is entityType.
await memory.create_entities({ entities: [{ name: "hw22-Gateway", entityType: "service", observations: [] }] });
const found = await memory.open_nodes({ names: ["hw22-Gateway"] });
const kind = found.entities[0]!.type.toUpperCase();
return kind;
