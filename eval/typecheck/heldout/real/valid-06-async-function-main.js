async function main() {
  // typecheck-eval {"kind":"valid","servers":["memory"]}
  await memory.create_entities({ entities: [{ name: "h06-Cache", entityType: "service", observations: ["redis", "eu-west"] }] });
  const { entities } = await memory.open_nodes({ names: ["h06-Cache"] });
  const regions = entities.flatMap((e) => e.observations.filter((o) => /^[a-z]+-[a-z]+$/.test(o)));
  return { regions };
}
