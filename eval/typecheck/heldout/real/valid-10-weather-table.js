// typecheck-eval {"kind":"valid","servers":["everything"]}
// A plain-text weather table for three cities, one call at a time.
const rows = [];
for (const location of ["New York", "Chicago", "Los Angeles"]) {
  const { temperature, conditions, humidity } = await everything.get_structured_content({ location });
  rows.push(`${location.padEnd(12)} ${String(temperature).padStart(4)}°F ${String(humidity).padStart(3)}%  ${conditions}`);
}
console.log(rows.join("\n"));
return rows.length;
