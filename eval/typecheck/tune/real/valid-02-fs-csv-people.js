// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Group the people of data/people.csv by team, from the CSV text.
const allowed = await filesystem.list_allowed_directories({});
const root = allowed.content.split("\n")[1].trim();
const file = await filesystem.read_text_file({ path: `${root}/data/people.csv` });
const [header, ...rows] = file.content.trim().split("\n");
const cols = header.split(",");
const teams = new Map();
for (const line of rows) {
  const cells = line.split(",");
  const person = {};
  cols.forEach((c, i) => { person[c] = cells[i]; });
  if (!teams.has(person.team)) teams.set(person.team, []);
  teams.get(person.team).push(person.name);
}
return Object.fromEntries(teams);
