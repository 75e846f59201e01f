// typecheck-eval {"kind":"valid","servers":["airtable"]}
// The field names and types of every table in the CRM base.
const { tables } = await airtable.list_tables({ baseId: "appA1", detailLevel: "full" });
const schema = {};
for (const table of tables) {
  schema[table.name] = table.fields.map((f) => `${f.name}:${f.type}`);
}
const primary = tables.map((t) => t.fields.find((f) => f.id === t.primaryFieldId)?.name);
return { schema, primary };
