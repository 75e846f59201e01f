// typecheck-eval {"kind":"valid","servers":["everything"]}
// Add pairs on the server and parse the numbers back out of its text answers.
const pairs = [[2, 3], [10, 32], [-4, 4.5]];
const answers = await Promise.all(pairs.map(([a, b]) => everything.get_sum({ a, b })));
const totals = answers.map((text) => {
  const m = String(text).match(/is (-?[\d.]+)/);
  return m ? Number(m[1]) : NaN;
});
const grand = totals.reduce((s, n) => s + n, 0);
return { totals, grand, allNumbers: totals.every((n) => !Number.isNaN(n)) };
