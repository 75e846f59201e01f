// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Paid revenue per currency from data/orders.csv, and the three biggest orders.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const csv = (await filesystem.read_text_file({ path: root + "/data/orders.csv" })).content;
const [head, ...lines] = csv.trim().split("\n");
const keys = head.split(",");
const orders = lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [keys[i], v])));
const revenue = orders
  .filter((o) => o.status === "paid")
  .reduce((acc, o) => ({ ...acc, [o.currency]: +((acc[o.currency] ?? 0) + parseFloat(o.amount)).toFixed(2) }), {});
const biggest = [...orders].sort((a, b) => Number(b.amount) - Number(a.amount)).slice(0, 3).map((o) => o.order_id);
return { revenue, biggest };
