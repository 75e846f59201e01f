// typecheck-eval {"kind":"valid","servers":["brave-search"]}
// Search the web and turn the text answer into title/url pairs.
const text = await brave_search.brave_web_search({ query: "node 20 end of life", count: 5 });
const blocks = String(text).split(/\n\s*\n/);
const results = blocks.map((b) => {
  const get = (k) => (b.match(new RegExp(`^${k}: (.*)$`, "m")) || [])[1];
  return { title: get("Title"), url: get("URL"), snippet: get("Description")?.replace(/<[^>]+>/g, "") };
}).filter((r) => r.url);
const domains = [...new Set(results.map((r) => r.url.replace(/^https?:\/\//, "").split("/")[0]))];
return { results, domains };
