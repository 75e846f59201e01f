// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Report refunds only when the feature flag allows them; return early otherwise.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const settings = JSON.parse((await filesystem.read_text_file({ path: `${root}/data/settings.json` })).content);
if (!settings.features.refunds) {
  return { refunds: "disabled", owners: settings.owners.length };
}
let refunded = 0;
try {
  const csv = (await filesystem.read_text_file({ path: `${root}/data/orders.csv` })).content;
  refunded = csv.split("\n").filter((l) => l.endsWith(",refunded," + l.split(",").pop())).length;
} finally {
  console.log("checked refunds");
}
return { refunds: refunded };
