// typecheck-eval {"kind":"wrong","class":"missing-arg","line":6,"expect":["'b'","\"b\""],"servers":["filesystem","everything"]}
// Totals the order amounts pairwise but calls get_sum with only a.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const csv = (await filesystem.read_text_file({ path: `${root}/data/orders.csv` })).content;
const amounts = csv.trim().split("\n").slice(1).map((l) => Number(l.split(",")[2]));
const first = await everything.get_sum({ a: amounts[0] });
return first;
