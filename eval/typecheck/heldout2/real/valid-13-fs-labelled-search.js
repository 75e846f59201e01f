// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Find the first paid USD order placed by someone over 40 (people.csv x orders.csv).
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const [people, orders] = await Promise.all([
  filesystem.read_text_file({ path: `${root}/data/people.csv` }),
  filesystem.read_text_file({ path: `${root}/data/orders.csv` }),
]);
const rows = (text) => text.content.trim().split("\n").slice(1).map((l) => l.split(","));
let match = null;
outer: for (const [name, email, age] of rows(people)) {
  if (Number(age) <= 40) continue;
  for (const [id, customer, amount, currency, status] of rows(orders)) {
    if (customer === email && currency === "USD" && status === "paid") {
      match = { name, id: Number(id), amount: Number(amount) };
      break outer;
    }
  }
}
return match ?? { none: true };
