// typecheck-eval {"kind":"valid","servers":["memory"]}
// Clean up temporary entities and check they are gone.
const temp = ["h16-tmp-a", "h16-tmp-b"];
await memory.create_entities({ entities: temp.map((name) => ({ name, entityType: "temp", observations: [] })) });
const res = await memory.delete_entities({ entityNames: temp });
const after = await memory.open_nodes({ names: temp });
const left: string[] = after.entities.map((e) => e.name);
return { ok: res.success, message: res.message, left };
