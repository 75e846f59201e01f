// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Paid order totals per currency and the best customer, from data/orders.csv.
const dirs = await filesystem.list_allowed_directories({});
const root = dirs.content.split("\n")[1];
const csv = (await filesystem.read_text_file({ path: `${root}/data/orders.csv` })).content;
const rows = csv.trim().split("\n").slice(1).map((l) => l.split(","));
const paid = rows.filter((r) => r[4] === "paid");
const totals = paid.reduce((acc, [, , amount, currency]) => {
  acc[currency] = Math.round(((acc[currency] ?? 0) + parseFloat(amount)) * 100) / 100;
  return acc;
}, {});
const byCustomer = {};
for (const r of paid) byCustomer[r[1]] = (byCustomer[r[1]] || 0) + Number(r[2]);
const best = Object.entries(byCustomer).sort((a, b) => b[1] - a[1])[0]?.[0];
if (!best) return { totals };
return { totals, best };
