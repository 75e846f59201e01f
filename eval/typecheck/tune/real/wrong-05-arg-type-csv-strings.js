// typecheck-eval {"kind":"wrong","class":"wrong-arg-type","line":7,"expect":["number"],"servers":["filesystem","everything"]}
// Adds the ages of the first two people; the CSV cells are passed on as strings.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const csv = await filesystem.read_text_file({ path: `${root}/data/people.csv` });
const rows = csv.content.trim().split("\n").slice(1).map((l) => l.split(","));
const [first, second] = rows;
const sum = await everything.get_sum({ a: first[2], b: second[2] });
return sum;
