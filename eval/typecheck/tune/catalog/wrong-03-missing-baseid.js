// typecheck-eval {"kind":"wrong","class":"missing-arg","line":5,"expect":["baseId"],"servers":["airtable"]}
// Lists the deals table but forgets which base it lives in.
const { bases } = await airtable.list_bases({});
console.log(bases.map((b) => b.name).join(", "));
const deals = await airtable.list_records({ tableId: "Deals", maxRecords: 10 });
return deals.records.length;
