// typecheck-eval {"kind":"valid","servers":["memory"]}
// Create then delete a temporary node, and read counts defensively.
await memory.create_entities({ entities: [{ name: "h2v26-tmp", entityType: "scratch", observations: ["temporary"] }] });
const before = await memory.open_nodes({ names: ["h2v26-tmp"] });
const deleted = await memory.delete_entities({ entityNames: ["h2v26-tmp"] });
const after = await memory.open_nodes({ names: ["h2v26-tmp"] });
return {
  before: before?.entities?.length ?? 0,
  firstObservation: before.entities[0]?.observations?.[0] ?? "none",
  deleted: deleted?.success === true,
  after: after?.entities?.length ?? 0,
  relations: after?.relations?.length ?? 0,
};
