// typecheck-eval {"kind":"wrong","class":"missing-field","line":5,"expect":["records","ListRecordsResult"],"servers":["airtable"]}
// Reads deal names from a field list_records' result does not have.
const { bases } = await airtable.list_bases({});
const res = await airtable.list_records({ baseId: bases[0]!.id, tableId: "Deals" });
const names = res.items.map((r) => r.fields["Name"]);
return names;
