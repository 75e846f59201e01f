// typecheck-eval {"kind":"valid","servers":["airtable"]}
// Find the Globex deal and mark it won.
const baseId = "appA1";
const found = await airtable.search_records({ baseId, tableId: "Deals", searchTerm: "Globex", maxRecords: 5 });
const deal = found.records.find((r) => r.fields["Name"] === "Globex");
if (!deal) return "no such deal";
const updated = await airtable.update_records({ baseId, tableId: "Deals", records: [{ id: deal.id, fields: { ...deal.fields, Status: "Won" } }] });
return updated.records.map((r) => `${r.id}: ${String(r.fields["Status"])}`);
