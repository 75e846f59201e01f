// typecheck-eval {"kind":"valid","servers":["memory"]}
// Correct a wrong observation: remove it, add the right one, read the entity back.
await memory.create_entities({ entities: [{ name: "h07-Grace", entityType: "person", observations: ["team: kernel"] }] });
const del = await memory.delete_observations({ deletions: [{ entityName: "h07-Grace", observations: ["team: kernel"] }] });
await memory.add_observations({ observations: [{ entityName: "h07-Grace", contents: ["team: compilers"] }] });
let missing = null;
try {
  await memory.add_observations({ observations: [{ entityName: "h07-Nobody", contents: ["x"] }] });
} catch (e) {
  missing = e.code;
}
const [grace] = (await memory.open_nodes({ names: ["h07-Grace"] })).entities;
return { deleted: del.success, observations: grace.observations, missing };
