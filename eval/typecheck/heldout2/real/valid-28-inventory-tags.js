// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Tag counts and price ranking from data/inventory.json.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const items = JSON.parse((await filesystem.read_text_file({ path: `${root}/data/inventory.json` })).content);
const tagCount = items.flatMap((i) => i.tags).reduce((acc, t) => ({ ...acc, [t]: (acc[t] || 0) + 1 }), {});
const ranked = items.slice().sort((a, b) => b.price - a.price).map(({ sku, price }) => `${sku}@${price.toFixed(2)}`);
const field = "stock";
const inStock = items.filter((i) => i[field] > 0).length;
return { tagCount, ranked, inStock, topTag: Object.entries(tagCount).sort((a, b) => b[1] - a[1])[0][0] };
