// typecheck-eval {"kind":"valid","servers":["everything"]}
// Add several pairs at once and pull the number out of each answer's sentence.
const pairs = [[2, 3], [10, 32], [-4, 4.5]];
const answers = await Promise.all(pairs.map(([a, b]) => everything.get_sum({ a, b })));
const totals = answers.map((text) => {
  const m = /is (-?\d+(?:\.\d+)?)/.exec(String(text));
  return m ? Number(m[1]) : NaN;
});
return { totals, grand: totals.reduce((s, x) => s + x, 0) };
