// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Wrap data/inventory.json in a small class and ask it for restocks and stock value.
type Item = { sku: string; name: string; stock: number; price: number; tags: string[] };
class Inventory {
  private items: Item[];
  constructor(json: string) { this.items = JSON.parse(json) as Item[]; }
  outOfStock(): string[] { return this.items.filter((i) => i.stock === 0).map((i) => i.sku); }
  value(): number { return this.items.reduce((s, i) => s + i.stock * i.price, 0); }
  byTag(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const i of this.items) for (const t of i.tags) (out[t] ??= []).push(i.sku);
    return out;
  }
}
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const inv = new Inventory((await filesystem.read_text_file({ path: `${root}/data/inventory.json` })).content);
return { restock: inv.outOfStock(), value: Math.round(inv.value() * 100) / 100, byTag: inv.byTag() };
