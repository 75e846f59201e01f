// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Total stock, first as the raw text of the file, then as a number.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
let stock = (await filesystem.read_text_file({ path: `${root}/data/inventory.json` })).content;
stock = JSON.parse(stock);
stock = stock.map((item) => item.stock);
stock = stock.reduce((a, b) => a + b, 0);
let label = stock > 100 ? "plenty" : 0;
if (!label) label = "low";
return { stock, label };
