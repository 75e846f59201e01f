// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Orders per customer month, through a small CSV helper.
function parseCsv(text) {
  const [head, ...rows] = text.trim().split("\n");
  const cols = head.split(",");
  return rows.map((r) => Object.fromEntries(r.split(",").map((v, i) => [cols[i], v])));
}
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const orders = parseCsv((await filesystem.read_text_file({ path: `${root}/data/orders.csv` })).content);
const perMonth = new Map();
for (const o of orders) {
  const month = o.created_at.slice(0, 7);
  perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
}
return Object.fromEntries([...perMonth].sort(([a], [b]) => a.localeCompare(b)));
