// typecheck-eval {"kind":"wrong","class":"forgotten-await","line":5,"expect":["await"],"servers":["memory"]}
// Creates a task, then reads the graph without awaiting it.
await memory.create_entities({ entities: [{ name: "w26-Task", entityType: "task", observations: ["todo"] }] });
const graph = memory.read_graph({});
const tasks = graph.entities.filter((e) => e.entityType === "task");
return tasks.length;
