// typecheck-eval {"kind":"valid","servers":["memory"]}
// Record two incidents and return a summary keyed by computed names.
const incidents = { "h2v16-INC-1": ["db timeout", "sev2"], "h2v16-INC-2": ["disk 81%", "sev3"] };
await memory.create_entities({
  entities: Object.keys(incidents).map((name) => ({ name, entityType: "incident", observations: incidents[name] })),
});
const graph = await memory.search_nodes({ query: "h2v16-INC" });
const sev = (e) => e.observations.find((o) => /^sev\d$/.test(o)) ?? "sev?";
return graph.entities.reduce((out, e) => ({ ...out, [`${e.name.slice(6)}_${sev(e)}`]: e.observations[0] }), { total: graph.entities.length });
