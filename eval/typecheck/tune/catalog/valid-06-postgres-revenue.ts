// typecheck-eval {"kind":"valid","servers":["postgres"]}
// Revenue per region from a read-only query; numeric columns arrive as strings.
type Row = { region: string; month: string; revenue: string; orders: number };
const rows = (await postgres.query({ sql: "SELECT region, month, revenue, orders FROM monthly_revenue ORDER BY month" })) as Row[];
const byRegion = rows.reduce<Record<string, { revenue: number; orders: number }>>((acc, r) => {
  const cur = acc[r.region] ?? { revenue: 0, orders: 0 };
  cur.revenue += parseFloat(r.revenue);
  cur.orders += r.orders;
  acc[r.region] = cur;
  return acc;
}, {});
const months = Array.from(new Set(rows.map((r) => r.month)));
return { byRegion, months, avgOrder: Object.fromEntries(Object.entries(byRegion).map(([k, v]) => [k, +(v.revenue / v.orders).toFixed(2)])) };
