// typecheck-eval {"kind":"valid","servers":["notion"]}
// Titles of pages matching "roadmap", whatever their title property is called.
const res = await notion.API_post_search({ query: "roadmap", page_size: 20 });
const pages = (res.results || []).filter((r) => r.object === "page");
function titleOf(page) {
  for (const key of Object.keys(page.properties || {})) {
    const prop = page.properties[key];
    if (prop.type === "title") return prop.title.map((t) => t.plain_text).join("");
  }
  return "(untitled)";
}
return pages.map((p) => ({ id: p.id, title: titleOf(p), edited: p.last_edited_time.slice(0, 10) }));
