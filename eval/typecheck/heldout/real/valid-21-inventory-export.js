// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Export the inventory as CSV (sku,name,value) next to the JSON, then verify the row count.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const items = JSON.parse((await filesystem.read_text_file({ path: `${root}/data/inventory.json` })).content);
const header = "sku,name,value";
const rows = items.map((i) => [i.sku, `"${i.name}"`, (i.stock * i.price).toFixed(2)].join(","));
const out = `${root}/data/inventory-export-h21.csv`;
await filesystem.write_file({ path: out, content: [header, ...rows].join("\n") + "\n" });
const check = (await filesystem.read_text_file({ path: out })).content.trim().split("\n");
return { written: check.length - 1, expected: items.length };
