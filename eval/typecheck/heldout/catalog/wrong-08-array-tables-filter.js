// typecheck-eval {"kind":"wrong","class":"array-method-on-object","line":5,"expect":["tables"],"servers":["airtable"]}
// Filters list_tables' wrapper object as if it were the array of tables.
const { bases } = await airtable.list_bases({});
const tables = await airtable.list_tables({ baseId: bases[0].id });
const deals = tables.filter((t) => t.name === "Deals");
return deals.length;
