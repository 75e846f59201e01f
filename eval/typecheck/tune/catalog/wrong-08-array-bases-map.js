// typecheck-eval {"kind":"wrong","class":"array-method-on-object","line":5,"expect":["bases"],"servers":["airtable"]}
// Lists deals, then maps over list_bases' wrapper object.
const deals = await airtable.list_records({ baseId: "appA1", tableId: "Deals" });
const bases = await airtable.list_bases({});
const names = bases.map((b) => b.name);
return { deals: deals.records.length, names };
