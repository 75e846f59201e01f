// typecheck-eval {"kind":"wrong","class":"missing-arg","line":6,"expect":["contents"],"servers":["memory"]}
// Adds an observation but puts the text under observation (singular) inside the item, so contents is missing.
await memory.create_entities({ entities: [{ name: "w09-Deploy", entityType: "event", observations: [] }] });
const note = "rolled back at 14:02";
await memory.open_nodes({ names: ["w09-Deploy"] });
const res = await memory.add_observations({ observations: [{ entityName: "w09-Deploy" }] });
return { res, note };
