// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Items out of stock or low, and the stock value, from data/inventory.json.
interface Item { sku: string; name: string; stock: number; price: number; tags: string[] }
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const text = (await filesystem.read_text_file({ path: `${root}/data/inventory.json` })).content;
const items = JSON.parse(text) as Item[];
const low = items.filter((i) => i.stock < 5).sort((a, b) => a.stock - b.stock).map((i) => i.sku);
const value = items.reduce((s, i) => s + i.stock * i.price, 0);
const byTag: Record<string, number> = {};
items.forEach((i) => i.tags.forEach((t) => { byTag[t] = (byTag[t] ?? 0) + 1; }));
return { low, value: value.toFixed(2), byTag };
