// typecheck-eval {"kind":"valid","servers":["memory"]}
// Create a project, add observations to it, then read it back.
type Obs = { entityName: string; contents: string[] };
await memory.create_entities({ entities: [{ name: "t08-Refunds", entityType: "project", observations: ["disabled"] }] });
const updates: Obs[] = [{ entityName: "t08-Refunds", contents: ["blocked on rounding fix", "owner: Ada"] }];
const { results } = await memory.add_observations({ observations: updates });
const added = results.reduce((n, r) => n + r.addedObservations.length, 0);
const { entities: [project] } = await memory.open_nodes({ names: ["t08-Refunds"] });
return { added, observations: project?.observations ?? [] };
