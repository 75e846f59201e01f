// typecheck-eval {"kind":"wrong","class":"missing-field","line":7,"expect":["entities"],"servers":["memory"]}
// Reports how many entities were created, from a field the result does not have.
const result = await memory.create_entities({
  entities: [{ name: "w22-Alpha", entityType: "service", observations: ["v1"] }],
});
console.log("done");
const n = result.created.length;
return `${n} created`;
