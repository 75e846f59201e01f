// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Orders per month and the ones still pending, from the CSV.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const { content } = await filesystem.read_text_file({ path: root + "/data/orders.csv" });
const [head, ...lines] = content.trim().split("\n");
const keys = head.split(",");
const orders = lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [keys[i], v])));
const perMonth = new Map();
for (const o of orders) {
  const d = new Date(o.created_at);
  const month = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
}
const pending = orders.filter((o) => o.status === "pending").map((o) => o.order_id);
return { perMonth: Object.fromEntries(perMonth), pending };
