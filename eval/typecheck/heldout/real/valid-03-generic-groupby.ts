// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Average age per city and per team, with a small generic helper.
function groupBy<T>(items: T[], key: (t: T) => string): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const item of items) (out[key(item)] ??= []).push(item);
  return out;
}
type Person = { name: string; age: number; city: string; team: string };
const allowed = await filesystem.list_allowed_directories({});
const root = allowed.content.split("\n")[1];
const csv = await filesystem.read_text_file({ path: `${root}/data/people.csv` });
const people: Person[] = csv.content.trim().split("\n").slice(1).map((line) => {
  const [name, , age, city, team] = line.split(",");
  return { name: name!, age: Number(age), city: city!, team: team! };
});
const avg = (ps: Person[]) => Math.round(ps.reduce((s, p) => s + p.age, 0) / ps.length);
const byTeam = groupBy(people, (p) => p.team);
return Object.fromEntries(Object.entries(byTeam).map(([team, ps]) => [team, { n: ps.length, avgAge: avg(ps) }]));
