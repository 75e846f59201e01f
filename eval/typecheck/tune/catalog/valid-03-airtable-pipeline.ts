// typecheck-eval {"kind":"valid","servers":["airtable"]}
// Sum open deal amounts in the CRM base, reading fields by their display names.
const { bases } = await airtable.list_bases({});
const crm = bases.find((b) => b.name === "CRM");
if (!crm) throw new Error("no CRM base");
const { records } = await airtable.list_records({ baseId: crm.id, tableId: "Deals", maxRecords: 100 });
const totals: Record<string, number> = {};
for (const r of records) {
  const status = String(r.fields["Status"] ?? "unknown");
  totals[status] = (totals[status] ?? 0) + Number(r.fields["Amount"] ?? 0);
}
const upcoming = records.filter((r) => typeof r.fields["Close date"] === "string").map((r) => r.fields["Name"]);
return { totals, upcoming };
